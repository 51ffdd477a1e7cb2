using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Configuration;

/// <summary>
/// Binds <c>Incident</c> on top of the defaults, item by item: <c>Incident:Severities:1:UpdateCadence</c>
/// changes SEV2 and keeps the rest. (The stock binder appends list items to defaults instead.)
/// </summary>
internal sealed class IncidentOptionsSetup(IConfiguration configuration) : IConfigureOptions<IncidentOptions>
{
    public void Configure(IncidentOptions options)
    {
        var section = configuration.GetSection(IncidentOptions.SectionName);
        try
        {
            // Scalars bind normally; the lists are rebuilt below, item by item over the defaults.
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(IncidentOptions.SectionName, typeof(IncidentOptions), [$"{IncidentOptions.SectionName}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        options.Severities = Overlay(IncidentDefaults.Severities(), section.GetSection(nameof(IncidentOptions.Severities)));
        options.Types = Overlay(IncidentDefaults.Types(), section.GetSection(nameof(IncidentOptions.Types)));
        options.Roles = Overlay(IncidentDefaults.Roles(), section.GetSection(nameof(IncidentOptions.Roles)));
        options.TriageChecklist = Strings(IncidentDefaults.TriageChecklist(), section.GetSection(nameof(IncidentOptions.TriageChecklist)));
        options.RecoveryChecklist = Strings(IncidentDefaults.RecoveryChecklist(), section.GetSection(nameof(IncidentOptions.RecoveryChecklist)));

        if (string.IsNullOrWhiteSpace(options.DefaultSeverity) && options.Severities.Count > 0)
        {
            options.DefaultSeverity = options.Severities[^1].Name;
        }
    }

    private static List<T> Overlay<T>(List<T> defaults, IConfigurationSection section)
        where T : new()
    {
        foreach (var child in section.GetChildren())
        {
            if (!int.TryParse(child.Key, out var index) || index < 0)
            {
                throw new OptionsValidationException(section.Path, typeof(T), [$"{child.Path}: list items are addressed by index (0, 1, 2 …)"]);
            }

            // Lists inside an item replace, not append: Stakeholders from config are the whole list.
            while (defaults.Count <= index)
            {
                defaults.Add(new T());
            }

            var item = defaults[index];
            foreach (var prop in typeof(T).GetProperties())
            {
                if (prop.PropertyType == typeof(List<string>) && child.GetSection(prop.Name).Exists())
                {
                    prop.SetValue(item, new List<string>());
                }
            }

            try
            {
                child.Bind(item);
            }
            catch (InvalidOperationException ex)
            {
                throw new OptionsValidationException(child.Path, typeof(T), [$"{child.Path}: {ex.InnerException?.Message ?? ex.Message}"]);
            }
        }

        return defaults;
    }

    private static List<string> Strings(List<string> defaults, IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return defaults;
        }

        return section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();
    }
}

/// <summary>The cross-field rules (names unique, defaults and roles that exist); single fields carry DataAnnotations.</summary>
internal sealed class IncidentOptionsValidator : IValidateOptions<IncidentOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentOptions options)
    {
        var errors = new List<string>();
        if (options.Severities.Count == 0)
        {
            errors.Add("Incident:Severities must list at least one severity");
        }

        for (var i = 0; i < options.Severities.Count; i++)
        {
            var s = options.Severities[i];
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                errors.Add($"Incident:Severities:{i}:Name is required");
            }
            else if (s.Name.Contains(' ', StringComparison.Ordinal))
            {
                errors.Add($"Incident:Severities:{i}:Name must be one word (got '{s.Name}')");
            }

            if (s.UpdateCadence < TimeSpan.FromSeconds(1))
            {
                errors.Add($"Incident:Severities:{i}:UpdateCadence must be a positive TimeSpan such as 00:30:00");
            }

            if (s.PageAfterMisses.Any(n => n < 1))
            {
                errors.Add($"Incident:Severities:{i}:PageAfterMisses must list miss counts of 1 or more");
            }

            foreach (var moment in s.NotifyStakeholdersOn.Where(m => !StakeholderMoments.All.Contains(m, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"Incident:Severities:{i}:NotifyStakeholdersOn names unknown moment '{moment}' (use {string.Join(", ", StakeholderMoments.All)})");
            }

            foreach (var role in s.RequiredRoles)
            {
                if (options.FindRole(role) is null)
                {
                    errors.Add($"Incident:Severities:{i}:RequiredRoles names unknown role '{role}'");
                }
            }
        }

        Duplicates(options.Severities.Select(s => s.Name), "Incident:Severities", errors);
        for (var i = 0; i < options.Types.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Types[i].Name) || options.Types[i].Name.Contains(' ', StringComparison.Ordinal))
            {
                errors.Add($"Incident:Types:{i}:Name is required and must be one word");
            }
        }

        Duplicates(options.Types.Select(t => t.Name), "Incident:Types", errors);
        for (var i = 0; i < options.Roles.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Roles[i].Key) || options.Roles[i].Key.Contains(' ', StringComparison.Ordinal))
            {
                errors.Add($"Incident:Roles:{i}:Key is required and must be one word");
            }
        }

        Duplicates(options.Roles.Select(r => r.Key), "Incident:Roles", errors);
        if (options.FindRole(RoleKeys.Commander) is null)
        {
            errors.Add("Incident:Roles must keep the 'commander' role");
        }

        if (options.EscalationRepeat is { } repeat && repeat < TimeSpan.FromSeconds(1))
        {
            errors.Add("Incident:EscalationRepeat must be at least 00:00:01 (or unset for the severity's cadence)");
        }

        if (options.MergeArchiveAfter < TimeSpan.Zero)
        {
            errors.Add("Incident:MergeArchiveAfter must not be negative");
        }

        if (options.Severities.Count > 0 && options.FindSeverity(options.DefaultSeverity) is null)
        {
            errors.Add($"Incident:DefaultSeverity '{options.DefaultSeverity}' is not one of Incident:Severities");
        }

        if (options.FindType(options.DefaultType) is null)
        {
            errors.Add($"Incident:DefaultType '{options.DefaultType}' is not one of Incident:Types");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Duplicates(IEnumerable<string> names, string key, List<string> errors)
    {
        foreach (var dup in names.Where(n => !string.IsNullOrWhiteSpace(n)).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{key} names '{dup.Key}' twice");
        }
    }
}
