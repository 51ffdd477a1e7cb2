namespace ChatOpsIncident.Postgres;

/// <summary>The one place timestamps cross between the domain (DateTimeOffset) and Npgsql.</summary>
internal static class Utc
{
    /// <summary>timestamptz columns arrive as UTC DateTime; the kind is set explicitly so no value can pick up the machine's offset.</summary>
    public static DateTimeOffset From(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? From(DateTime? value) => value is { } v ? From(v) : null;

    /// <summary>Npgsql writes timestamptz only from UTC values (offset zero).</summary>
    public static DateTimeOffset To(DateTimeOffset value) => value.ToUniversalTime();

    public static DateTimeOffset? To(DateTimeOffset? value) => value?.ToUniversalTime();

    /// <summary>date columns are written and read as midnight DateTime.</summary>
    public static DateTime ToDate(DateOnly value) => value.ToDateTime(TimeOnly.MinValue);

    public static DateTime? ToDate(DateOnly? value) => value is { } v ? ToDate(v) : null;

    public static DateOnly? FromDate(DateTime? value) => value is { } d ? DateOnly.FromDateTime(d) : null;
}
