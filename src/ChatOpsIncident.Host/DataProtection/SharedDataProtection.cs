using System.Xml.Linq;
using ChatOpsIncident.Postgres.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.DataProtection;

/// <summary>
/// The ASP.NET Core Data Protection key ring in PostgreSQL (chatops.data_protection_keys), so every replica reads the
/// cookies (sign-in, token sign-in) and form tokens (antiforgery) another replica issued, also after a restart. The
/// keys are stored as the framework writes them: whoever can read the database can forge a cookie, the same trust
/// the database already holds (it stores everything the cookies protect).
/// </summary>
internal static class SharedDataProtection
{
    /// <summary>One application name for every replica: the name is part of each purpose, so it must not differ per path or host.</summary>
    public const string ApplicationName = "ChatOpsIncident";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<PostgresDataProtectionKeys>())));
        return services;
    }
}

/// <summary>The framework's key repository over the Postgres project's rows (the SQL stays there).</summary>
internal sealed class PostgresXmlRepository(PostgresDataProtectionKeys keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keys.All().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName) => keys.Store(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
