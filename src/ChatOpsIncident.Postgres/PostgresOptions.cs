using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsIncident.Postgres;

/// <summary>The <c>ConnectionStrings</c> section; the store needs <c>ConnectionStrings:Incidents</c>.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "ConnectionStrings";

    [Required(ErrorMessage = "ConnectionStrings:" + PostgresConnection.Name + " is required (a PostgreSQL connection string).")]
    public string? Incidents { get; set; }

    /// <summary>Never prints the connection string: it carries the password.</summary>
    public override string ToString() => "PostgresOptions(Incidents=***)";
}

/// <summary>A connection string Npgsql cannot parse stops start-up; the parser's message names the bad keyword, never the password.</summary>
internal sealed class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Incidents))
        {
            return ValidateOptionsResult.Success; // [Required] reports it.
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.Incidents);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:{PostgresConnection.Name} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
