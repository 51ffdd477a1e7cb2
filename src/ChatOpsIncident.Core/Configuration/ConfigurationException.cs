namespace ChatOpsIncident.Core.Configuration;

/// <summary>A setting is missing or wrong. The message names the key; the host prints it as one line and stops.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
