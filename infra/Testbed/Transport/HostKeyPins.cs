namespace Testbed.Transport;

/// <summary>
/// Trust on first use, per stack: the first SHA-256 host key fingerprint seen for a host is written down, and a
/// different one later is refused. The file holds lines <c>host endpoint fingerprint</c>.
/// </summary>
/// <param name="readOnly">For runs that only look (preview, status): a first sighting is trusted for this run and not
/// written down, so that looking at a fresh stack leaves its folder as it was. A changed key is refused all the same.</param>
public sealed class HostKeyPins(string file, bool readOnly = false)
{
    readonly object _gate = new();

    public string File { get; } = file;

    /// <summary>Null when the key is accepted (and pinned if new); otherwise the reason it is refused.</summary>
    public string? Check(string host, string fingerprint)
    {
        lock (_gate)
        {
            var pins = Read();
            if (pins.TryGetValue(host, out var pinned))
                return pinned == fingerprint ? null
                    : $"host key of {host} changed: pinned SHA256:{pinned}, offered SHA256:{fingerprint}. " +
                      $"If {host} was rebuilt on purpose, remove its line from {File}.";
            if (readOnly) return null;
            pins[host] = fingerprint;
            Write(pins);
            return null;
        }
    }

    public string? Pinned(string host)
    {
        lock (_gate) return Read().GetValueOrDefault(host);
    }

    /// <summary>
    /// Pins a key the tool knows to be right (one it made itself), replacing any other; a new or changed pin goes
    /// last, as a first sighting would. The file is not written when the pin is already that key.
    /// </summary>
    public void Pin(string host, string fingerprint)
    {
        lock (_gate)
        {
            var pins = Read();
            if (pins.GetValueOrDefault(host) == fingerprint) return;
            pins.Remove(host);
            Write([.. pins, new(host, fingerprint)]);
        }
    }

    public void Forget(string host)
    {
        lock (_gate)
        {
            var pins = Read();
            if (pins.Remove(host)) Write(pins);
        }
    }

    Dictionary<string, string> Read()
    {
        var pins = new Dictionary<string, string>();
        if (!System.IO.File.Exists(File)) return pins;
        foreach (var line in System.IO.File.ReadAllLines(File))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1].StartsWith("SHA256:")) pins[parts[0]] = parts[1][7..];
        }
        return pins;
    }

    void Write(IEnumerable<KeyValuePair<string, string>> pins) =>
        Secrets.SecretFiles.WriteSecret(File, string.Concat(pins.Select(p => $"{p.Key} SHA256:{p.Value}\n")));
}
