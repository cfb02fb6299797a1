namespace Testbed.Cli;

/// <summary>Exit codes: scripts and CI can tell a bad file from a busy stack from a failed host.</summary>
public static class Exit
{
    public const int Ok = 0;
    /// <summary>A step failed, or <c>--expect-no-changes</c> found changes.</summary>
    public const int Failed = 1;
    /// <summary>The stack, inventory or command line is wrong; nothing was touched.</summary>
    public const int BadInput = 2;
    /// <summary>Another run holds the stack's lock.</summary>
    public const int Busy = 3;
}
