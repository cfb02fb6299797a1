namespace Testbed.Providers;

/// <summary>A provider could not make, reach or take away its hosts; the message says what and why.</summary>
public class ProviderException(string message) : Exception(message);
