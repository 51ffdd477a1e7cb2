using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// Loads the bot's certificate credential from a file (PKCS#12 or PEM) or from the certificate store. Every failure is
/// an <see cref="InvalidOperationException"/> naming the key (never the password), so start-up stops with one line.
/// </summary>
internal static class TeamsCertificate
{
    public static X509Certificate2 Load(TeamsOptions options)
    {
        var certificate = string.IsNullOrWhiteSpace(options.CertificateThumbprint) ? FromFile(options) : FromStore(options.CertificateThumbprint);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The certificate named by {Key(options)} has no private key (MSAL signs the client assertion with it).");
        }

        return certificate;
    }

    private static string Key(TeamsOptions options) =>
        string.IsNullOrWhiteSpace(options.CertificateThumbprint) ? "Teams:CertificatePath" : "Teams:CertificateThumbprint";

    private static X509Certificate2 FromFile(TeamsOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Teams:CertificatePath '{path}' does not exist.");
        }

        try
        {
            var extension = Path.GetExtension(path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            }

            var keyPath = string.IsNullOrWhiteSpace(options.CertificateKeyPath) ? path : options.CertificateKeyPath;
            return string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message of a CryptographicException names the problem (wrong password, no key), never the password.
            throw new InvalidOperationException($"Teams:CertificatePath '{path}' could not be loaded ({ex.GetType().Name}: {ex.Message}); check Teams:CertificatePassword and Teams:CertificateKeyPath.", ex);
        }
    }

    private static X509Certificate2 FromStore(string thumbprint)
    {
        var wanted = thumbprint.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
            catch (CryptographicException)
            {
                // That store does not exist on this machine: try the next.
            }
        }

        throw new InvalidOperationException($"Teams:CertificateThumbprint {wanted} is in neither the CurrentUser nor the LocalMachine 'My' store.");
    }
}
