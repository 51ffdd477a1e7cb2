using System.Reflection;
using System.Runtime.CompilerServices;
using ChatOpsIncident.Postgres.Cadence;
using ChatOpsIncident.Postgres.Inbox;
using ChatOpsIncident.Postgres.Incidents;
using ChatOpsIncident.Postgres.Workspace;
using Dapper;

namespace ChatOpsIncident.Postgres;

/// <summary>
/// Maps snake_case columns onto this project's own row classes, one type at a time. Dapper's global
/// <c>DefaultTypeMap.MatchNamesWithUnderscores</c> would do the same for every type in the process, so code outside
/// this project would work or break depending on whether the store had been registered first.
/// </summary>
internal static class RowMaps
{
    internal static readonly Type[] Rows =
    [
        typeof(IncidentRow), typeof(RoleRow), typeof(TimelineRow), typeof(UpdateRow), typeof(ActionRow),
        typeof(AuditRow), typeof(ChecklistRow), typeof(CadenceStateRow), typeof(InboxRow), typeof(Alerts.AlertGroupRow),
        typeof(ChannelRow), typeof(MessageRow), typeof(Changes.PostgresChangeStore.ChangeRow),
    ];

    // A module initializer runs before any code of this assembly, so every query sees the maps, also in tests that
    // build a store without AddPostgresStore. It touches only the types listed above.
#pragma warning disable CA2255 // The maps are this library's private detail: nothing of the caller's runs or changes.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        foreach (var type in Rows)
        {
            SqlMapper.SetTypeMap(type, new CustomPropertyTypeMap(type, Column));
        }
    }

    /// <summary>
    /// <c>delivery_id</c> → <c>DeliveryId</c>. A column without a property yields null, which Dapper's map skips (as its
    /// default map does); the delegate's signature just does not say so.
    /// </summary>
    private static PropertyInfo Column(Type type, string column) =>
        type.GetProperty(column.Replace("_", "", StringComparison.Ordinal), BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)!;
}
