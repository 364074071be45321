using AmiInfra.Declaration;
using AmiInfra.Rules;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>Builds AMI records and factories for the logic tests.</summary>
internal static class Amis
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static AmiRecord Ami(string id, int ageDays, string image = "app", string region = "us-east-1") => new()
    {
        Region = region,
        ImageId = id,
        Created = Now.AddDays(-ageDays),
        State = "available",
        Encryption = EncryptionKind.CustomerManagedKey,
        Tags = new Dictionary<string, string> { [AmiTagKeys.Factory] = "ff", [AmiTagKeys.Image] = image },
    };

    public static Factory Factory(string? lifecycle, string distribution = """{ "regions": ["us-east-1"] }""")
    {
        var json = $$"""
            {
              "name": "ff", "account": "123456789012", "region": "us-east-1", "build": {},
              "distribution": {{distribution}},
              {{(lifecycle is null ? "" : $"\"lifecycle\": {lifecycle},")}}
              "images": [ { "name": "app", "platform": "linux", "parent": { "amiId": "ami-0123456789abcdef0" },
                            "components": [ { "managed": "update-linux" } ], "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": 8 } } ]
            }
            """;
        return FactoryLoader.Parse(json, Path.GetTempPath());
    }
}
