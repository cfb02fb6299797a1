using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>strongSwan's IKE daemon (charon-systemd), read as running or stopped.</summary>
public sealed record CharonId(string Host, string Daemon = CharonId.CharonSystemd) : ResourceId(Host)
{
    public const string CharonSystemd = "charon-systemd";

    public override ResourceKind Kind => ResourceKind.Charon;
    public override string Name => Daemon;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["daemon"] = Daemon };

    public override string ReadScript => $"pgrep -x {Sh.Quote(Daemon)} >/dev/null 2>&1 && echo running || echo stopped";

    public override Reading Parse(string output) => Reading.Of(Fields.Scalar(output.Trim() == "running" ? "running" : "stopped"));

    /// <summary>Stops the daemon only if it was stopped before the first change; charon takes its SAs and policies with it.</summary>
    public override RemoteCommand Restore(Fields? original) => original?["value"] == "stopped" ? new(
        $"if {Charon.UnderSystemd}; then systemctl stop strongswan.service; else pkill -x charon-systemd; fi; " +
        "i=0; while pgrep -x charon-systemd >/dev/null; do i=$((i+1)); [ $i -ge 50 ] && { echo 'charon-systemd still runs 10 s after it was told to stop' >&2; exit 1; }; sleep 0.2; done")
        : RemoteCommand.Nothing;
}

/// <summary>
/// The IKE daemon, running. Under systemd (a lab host) it is the distribution's unit; without systemd (the local guests)
/// it runs detached from the session, as the unit would run it. Either way it is up when its vici socket answers.
/// </summary>
public sealed record Charon : Resource
{
    internal const string UnderSystemd = "[ -d /run/systemd/system ] && command -v systemctl >/dev/null";

    public override CharonId Id => new(Host);
    public override Fields Desired => Fields.Scalar("running");

    public override RemoteCommand Apply(Reading live) => new(
        $"if {UnderSystemd}; then systemctl start strongswan.service; " +
        "else setsid /usr/sbin/charon-systemd </dev/null >/dev/null 2>&1 & fi; " +
        "i=0; until swanctl --stats >/dev/null 2>&1; do i=$((i+1)); " +
        "[ $i -ge 50 ] && { echo 'charon-systemd did not answer on its vici socket within 10 s' >&2; exit 1; }; sleep 0.2; done");

    /// <summary>The daemon needs swanctl and itself installed: on a lab host those are packages of the stack.</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    public override IEnumerable<string> DependsOn => After;
}
