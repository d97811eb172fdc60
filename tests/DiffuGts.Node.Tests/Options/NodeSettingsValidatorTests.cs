using DiffuGts.Testing;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace DiffuGts.Node.Tests.Options;

public sealed class NodeSettingsValidatorTests
{
    private static NodeSettings Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        return NodeSettings.Bind(configuration);
    }

    private const string Valid = """
        {
          "Peers": { "PACS": { "AeTitle": "ORTHANC", "Host": "127.0.0.1", "Port": 4242 } },
          "Prompts": { "liver": [ { "Label": "Liver lesion", "Text": "liver tumor", "Color": "#FF8000" } ] },
          "Routing": { "Rules": [ { "Name": "abdomen", "Modality": [ "CT" ], "PromptSet": "liver", "Destinations": [ "PACS" ] } ] }
        }
        """;

    [Fact]
    public void Check_ValidConfiguration_HasNoErrors()
    {
        Assert.Empty(NodeSettingsValidator.Check(Bind(Valid)));
    }

    [Fact]
    public void Check_ShippedAppsettings_HasNoErrors()
    {
        var root = FindRepositoryRoot();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"))
            .AddJsonFile(Path.Combine(root, "config", "routing.json"), optional: true)
            .AddJsonFile(Path.Combine(root, "config", "prompts.json"), optional: true)
            .Build();
        Assert.Empty(NodeSettingsValidator.Check(NodeSettings.Bind(configuration)));
    }

    [Theory]
    [InlineData("\"Node\": { \"AeTitle\": \"THIS_IS_MORE_THAN_16\" }", "Node:AeTitle")]
    [InlineData("\"Node\": { \"AeTitle\": \"BAD\\\\AE\" }", "Node:AeTitle")]
    [InlineData("\"Node\": { \"Port\": 70000 }", "Node:Port")]
    [InlineData("\"Node\": { \"MaxPduLength\": 100 }", "Node:MaxPduLength")]
    [InlineData("\"Node\": { \"AllowedSourceAddresses\": [ \"10.0.0.0/40\" ] }", "Node:AllowedSourceAddresses:0")]
    [InlineData("\"Node\": { \"AeTitel\": \"TYPO\" }", "Node:")]
    [InlineData("\"Storage\": { \"LowDiskWatermarkPercent\": 120 }", "Storage:LowDiskWatermarkPercent")]
    [InlineData("\"Storage\": { \"SeriesIdleTimeout\": \"00:00:00\" }", "Storage:SeriesIdleTimeout")]
    [InlineData("\"Export\": { \"InitialDelay\": \"00:10:00\", \"MaxDelay\": \"00:01:00\" }", "Export:MaxDelay")]
    [InlineData("\"Inference\": { \"ExecutionProviders\": [ \"tpu\" ] }", "Inference:ExecutionProviders:0")]
    public void Check_BadValue_NamesTheKey(string section, string expectedKey)
    {
        var json = Valid.TrimEnd().TrimEnd('}') + "," + section + "}";
        var errors = NodeSettingsValidator.Check(Bind(json));
        Assert.Contains(errors, e => e.StartsWith(expectedKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_RouteToUnknownPeerAndPromptSet_NamesRuleKeys()
    {
        var json = """
            {
              "Peers": { "PACS": { "AeTitle": "ORTHANC", "Host": "127.0.0.1", "Port": 4242 } },
              "Prompts": { "liver": [ { "Label": "Liver lesion", "Text": "liver tumor" } ] },
              "Routing": { "Rules": [
                { "PromptSet": "liver", "Destinations": [ "PACS" ] },
                { "PromptSet": "kidney", "Destinations": [ "PACS", "ARCHIVE" ] } ] }
            }
            """;
        var errors = NodeSettingsValidator.Check(Bind(json));
        Assert.Contains(errors, e => e.StartsWith("Routing:Rules:1:PromptSet 'kidney'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routing:Rules:1:Destinations:1 'ARCHIVE'", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("Routing:Rules:0", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PromptWithBadColourAndHalfCode_NamesPromptKeys()
    {
        var json = """
            {
              "Prompts": { "liver": [ { "Label": "L", "Text": "liver tumor", "Color": "orange", "Type": { "Value": "108369006" } } ] }
            }
            """;
        var errors = NodeSettingsValidator.Check(Bind(json));
        Assert.Contains(errors, e => e.StartsWith("Prompts:liver:0:Color", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Prompts:liver:0:Type", StringComparison.Ordinal));
    }

    internal static string FindRepositoryRoot() => RepositoryRoot.Find();
}
