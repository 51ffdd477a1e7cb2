namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Why an adapter refused a platform request, left on the request (its items, under <see cref="ItemKey"/>) so the host
/// counts refusals by reason without the adapters knowing about metrics. Reasons are a fixed vocabulary: a label,
/// never request content.
/// </summary>
public sealed record RequestRefusal(string Platform, string Reason)
{
    public const string ItemKey = "chatops.refusal";

    public const string BadSignature = "bad_signature";
    public const string Stale = "stale";
    public const string BadToken = "bad_token";
    public const string TokenMismatch = "token_mismatch";
    public const string ForeignTenant = "foreign_tenant";
    public const string ForeignWorkspace = "foreign_workspace";
    public const string ForeignChannel = "foreign_channel";
}
