using Verification.Support;

namespace Verification.Faults;

/// <summary>What the fault and secret tests got through, for the summary line a note can quote.</summary>
public sealed class Tally
{
    int _kills, _drops, _lostForGood, _reboots, _driftNamed, _locks, _unreachable, _badInputs, _modes, _pingsSent, _pingsReceived;

    public void Kill() => Interlocked.Increment(ref _kills);
    public void DropSurvived() => Interlocked.Increment(ref _drops);
    public void LostForGood() => Interlocked.Increment(ref _lostForGood);
    public void RebootRepaired(int driftNamed)
    {
        Interlocked.Increment(ref _reboots);
        Interlocked.Add(ref _driftNamed, driftNamed);
    }
    public void LockRefused() => Interlocked.Increment(ref _locks);
    public void Unreachable() => Interlocked.Increment(ref _unreachable);
    public void BadInput() => Interlocked.Increment(ref _badInputs);
    public void ModeChecked(int files) => Interlocked.Add(ref _modes, files);
    public void Pinged(int sent, int received)
    {
        Interlocked.Add(ref _pingsSent, sent);
        Interlocked.Add(ref _pingsReceived, received);
    }

    public int TextsScanned { get; set; }
    public int SecretsSearched { get; set; }
    public long CharsScanned { get; set; }

    public int Faults => _kills + _drops + _lostForGood + _reboots + _locks + _unreachable;

    public string Summary(TimeSpan elapsed) =>
        $"survived {Faults} faults: SIGKILL mid-up {_kills}, SSH connection dropped and retried {_drops}, " +
        $"connection lost for good and reported {_lostForGood}, reboot behind the tool's back repaired {_reboots} " +
        $"({_driftNamed} drifted settings named), concurrent run refused by the lock {_locks}, unreachable hosts reported {_unreachable}; " +
        $"bad secret inputs refused {_badInputs}; secret files checked 0600: {_modes}; " +
        $"secrets searched {SecretsSearched} in {TextsScanned} texts ({CharsScanned:N0} chars), found 0; " +
        $"tunnel pings through {_pingsReceived}/{_pingsSent}; CLI runs {Cli.Runs}; {elapsed:mm\\:ss}";
}
