using Testbed.Secrets;
using System.Security.Cryptography;
using System.Text;
using Testbed.Config;

namespace Testbed.Local;

/// <summary>
/// ECDSA P-256 key pairs in the formats OpenSSH and SSH.NET read: the private key as PEM, the public key as an
/// <c>authorized_keys</c> line. Made here so the local testbed needs no ssh-keygen on the machine.
/// </summary>
public static class SshKeys
{
    const string Type = "ecdsa-sha2-nistp256";

    /// <summary>Creates <paramref name="privateFile"/> (0600) unless it exists; returns its public key line.</summary>
    public static string Ensure(string privateFile, string comment)
    {
        using var key = ECDsa.Create();
        if (File.Exists(privateFile))
            key.ImportFromPem(File.ReadAllText(privateFile));
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            SecretFiles.WriteSecret(privateFile, key.ExportECPrivateKeyPem() + "\n");
        }
        return $"{Type} {Convert.ToBase64String(PublicBlob(key))} {comment}";
    }

    /// <summary>The fingerprint SSH shows for the key (SHA-256 of the public blob, unpadded base64).</summary>
    public static string Fingerprint(string publicLine) =>
        Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(publicLine.Split(' ')[1]))).TrimEnd('=');

    static byte[] PublicBlob(ECDsa key)
    {
        var p = key.ExportParameters(false).Q;
        using var ms = new MemoryStream();
        WriteString(ms, Encoding.ASCII.GetBytes(Type));
        WriteString(ms, Encoding.ASCII.GetBytes("nistp256"));
        WriteString(ms, [0x04, .. p.X!, .. p.Y!]);
        return ms.ToArray();
    }

    static void WriteString(Stream s, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(data);
    }
}
