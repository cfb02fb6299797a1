using Testbed.Model;
using System.CommandLine;
using Testbed.Config;
using Testbed.Secrets;
using YamlDotNet.RepresentationModel;

namespace Testbed.Cli.Verbs;

/// <summary>
/// <c>config set|get</c>, as Pulumi has them: set a value in the stack file by its path (comments kept), with
/// <c>--secret</c> encrypting it under the stack's passphrase (PULUMI_CONFIG_PASSPHRASE or _FILE). A secret is
/// read from stdin when no value is given, so it stays out of shell history and the process list.
/// </summary>
public static class ConfigVerb
{
    public static Command Build()
    {
        var config = new Command("config", "Read or change a stack's configuration");
        config.Subcommands.Add(BuildSet());
        config.Subcommands.Add(BuildGet());
        return config;
    }

    static Command BuildSet()
    {
        var stack = Verb.StackOption();
        var key = new Argument<string>("key") { Description = "The key, nested with dots: ipsec.key.forward.enc (the project prefix is added)" };
        var value = new Argument<string?>("value") { Description = "The value; read from stdin when left out", Arity = ArgumentArity.ZeroOrOne };
        var secret = new Option<bool>("--secret") { Description = "Encrypt the value with the stack's passphrase" };
        var cmd = new Command("set", "Set a configuration value in stacks/Pulumi.<stack>.yaml") { stack, key, value, secret };
        cmd.SetAction((pr, ct) => Verb.Guard(() =>
        {
            var project = Verb.Project();
            var file = project.StackFile(pr.GetValue(stack)!);
            if (!File.Exists(file)) throw new ConfigException(new ConfigError(project.Relative(file), "(file)", "no such stack file"));
            var path = FullKey(project, pr.GetValue(key)!);
            var text = pr.GetValue(value) ?? Console.In.ReadLine()?.Trim()
                ?? throw new ConfigException(new ConfigError("(stdin)", path, "no value given"));
            var content = File.ReadAllText(file);
            string yamlValue;
            if (pr.GetValue(secret))
            {
                var (crypter, newSalt) = Crypter(project.Relative(file), content);
                if (newSalt is not null) content = StackFileEditor.WithEncryptionSalt(content, newSalt);
                yamlValue = $"{{secure: {crypter.Encrypt(text)}}}";
            }
            else
                yamlValue = Scalar(text);
            File.WriteAllText(file, StackFileEditor.Set(content, path, yamlValue));
            Console.WriteLine($"set {path} in {project.Relative(file)}{(pr.GetValue(secret) ? " (encrypted)" : "")}");
            return Task.FromResult(Exit.Ok);
        }));
        return cmd;
    }

    static Command BuildGet()
    {
        var stack = Verb.StackOption();
        var key = new Argument<string>("key") { Description = "The key, nested with dots" };
        var cmd = new Command("get", "Print a configuration value (secrets print as [secret])") { stack, key };
        cmd.SetAction((pr, ct) => Verb.Guard(() =>
        {
            var project = Verb.Project();
            var file = project.StackFile(pr.GetValue(stack)!);
            var path = FullKey(project, pr.GetValue(key)!);
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            YamlNode? node = (stream.Documents[0].RootNode as YamlMappingNode)?["config"];
            foreach (var part in StackFileEditor.SplitPath(path))
                node = node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(part), out var child) ? child : null;
            if (node is null) throw new ConfigException(new ConfigError(project.Relative(file), path, "is not set"));
            Console.WriteLine(node switch
            {
                YamlMappingNode m when m.Children.ContainsKey(new YamlScalarNode("secure")) => "[secret]",
                YamlScalarNode s => s.Value,
                _ => Redactor.Redact(new YamlStream(new YamlDocument(node)).ToString()),
            });
            return Task.FromResult(Exit.Ok);
        }));
        return cmd;
    }

    static string FullKey(Project project, string key) => key.Contains(':') ? key : $"{project.Name}:{key}";

    static (PassphraseCrypter Crypter, string? NewSalt) Crypter(string file, string content)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        var salt = ((stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode)?.Children
            .FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "encryptionsalt").Value as YamlScalarNode)?.Value;
        var passphrase = SecretValues.Passphrase(Environment.GetEnvironmentVariable)
            ?? throw new ConfigException(new ConfigError(file, "encryptionsalt",
                "a secret needs the stack's passphrase: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE"));
        if (salt is null)
        {
            var (fresh, newSalt) = PassphraseCrypter.Create(passphrase);
            return (fresh, newSalt);
        }
        return (PassphraseCrypter.Open(passphrase, salt)
                ?? throw new ConfigException(new ConfigError(file, "encryptionsalt", "the passphrase given does not open this stack's secrets")), null);
    }

    /// <summary>Writes a plain value as YAML: bare when it reads back as the same string, quoted otherwise.</summary>
    static string Scalar(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ' ') && !text.StartsWith(' ') && !text.EndsWith(' ')
            ? text
            : "'" + text.Replace("'", "''") + "'";
}
