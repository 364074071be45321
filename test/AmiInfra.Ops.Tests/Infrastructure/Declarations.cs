namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>Writes small factory declarations for tests into a temporary folder, removed when the test run ends.</summary>
public static class Declarations
{
    private static readonly string Root = CreateRoot();

    /// <summary>Writes a declaration and returns the path of its file.</summary>
    /// <param name="name">The factory name.</param>
    /// <param name="account">The factory account.</param>
    /// <param name="distribution">The JSON of the factory's distribution object.</param>
    /// <param name="lifecycle">The JSON of the factory's lifecycle object, or null.</param>
    /// <param name="images">Image names.</param>
    public static string Write(string name, string account, string distribution, string? lifecycle, params string[] images) =>
        Write(name, account, distribution, lifecycle, null, images);

    /// <summary>Writes a one-region declaration with one image and the governance given (the JSON of its governance object).</summary>
    public static string WriteWithGovernance(string name, string account, string governance) =>
        Write(name, account, """{ "regions": ["us-east-1"] }""", null, governance, "app");

    private static string Write(string name, string account, string distribution, string? lifecycle, string? governance, params string[] images)
    {
        var folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var imageJson = string.Join(",\n", images.Select(image => $$"""
            {
              "name": "{{image}}",
              "platform": "linux",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": [ { "managed": "update-linux" } ],
              "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": 20 }
            }
            """));
        var json = $$"""
            {
              "name": "{{name}}",
              "account": "{{account}}",
              "region": "us-east-1",
              "build": { "instanceTypes": ["m7i.large"] },
              "distribution": {{distribution}},
              {{(lifecycle is null ? "" : $"\"lifecycle\": {lifecycle},")}}
              {{(governance is null ? "" : $"\"governance\": {governance},")}}
              "images": [ {{imageJson}} ]
            }
            """;
        var file = Path.Combine(folder, "factory.json");
        File.WriteAllText(file, json);
        return file;
    }

    private static string CreateRoot()
    {
        var root = Directory.CreateTempSubdirectory("amiinfra-ops-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        return root;
    }
}
