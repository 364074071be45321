using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmiInfra.Ops.Aws;

/// <summary>Where an Image Builder image was distributed to: an AMI in a region and account (outputResources.amis).</summary>
/// <param name="Region">The region.</param>
/// <param name="AccountId">The account that owns the AMI, or null for the image's own account.</param>
/// <param name="ImageId">The AMI.</param>
public sealed record ImageOutput(string Region, string? AccountId, string? ImageId);

/// <summary>An Image Builder image build version: its state, where it was distributed, its tags.</summary>
/// <param name="Arn">The image build version ARN (arn:...:image/name/version/build).</param>
/// <param name="Status">Its state (PENDING, CREATING, BUILDING, TESTING, DISTRIBUTING, INTEGRATING, AVAILABLE, CANCELLED, FAILED, DEPRECATED, DELETED, DISABLED).</param>
/// <param name="Reason">Why it is in that state, when Image Builder says.</param>
/// <param name="Outputs">The AMIs it was distributed as.</param>
/// <param name="Tags">The image resource's tags.</param>
/// <param name="Created">When it was created.</param>
/// <param name="DistributionConfigurationArn">The distribution configuration it used (GetImage only).</param>
public sealed record ImageBuild(string Arn, string Status, string? Reason, IReadOnlyList<ImageOutput> Outputs, IReadOnlyDictionary<string, string> Tags, DateTimeOffset? Created, string? DistributionConfigurationArn = null)
{
    /// <summary>
    /// The states in which Image Builder still works on the image ("ImageState", status:
    /// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ImageState.html).
    /// </summary>
    public static readonly IReadOnlySet<string> InProgress = new HashSet<string>(StringComparer.Ordinal) { "PENDING", "CREATING", "BUILDING", "TESTING", "DISTRIBUTING", "INTEGRATING" };

    /// <summary>Whether Image Builder still works on the image.</summary>
    public bool Running => InProgress.Contains(Status);

    /// <summary>The version/build part of the ARN (1.0.3/2).</summary>
    public string VersionAndBuild => string.Join('/', Arn.Split('/').TakeLast(2));
}

/// <summary>
/// The Image Builder calls of <c>amiinfra redistribute</c> (REST-JSON, API version 2019-12-02): ListImages and
/// ListImageBuildVersions to find an image's builds, GetImage, GetDistributionConfiguration,
/// CreateDistributionConfiguration and DeleteDistributionConfiguration for the one-off configuration that holds only
/// the missing targets, and DistributeImage
/// (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ListImages.html, API_ListImageBuildVersions.html,
/// API_GetImage.html, API_GetDistributionConfiguration.html, API_CreateDistributionConfiguration.html,
/// API_DeleteDistributionConfiguration.html, API_DistributeImage.html).
/// </summary>
public static partial class ImageBuilderCalls
{
    /// <summary>Every build version of the account's image named <paramref name="imageName"/> in the region (ListImages by name, then ListImageBuildVersions of each version).</summary>
    public static async Task<List<ImageBuild>> BuildVersionsAsync(SignedRequests client, string region, string imageName, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        string? token = null;
        do
        {
            var body = new JsonObject
            {
                ["owner"] = "Self",
                ["filters"] = new JsonArray(new JsonObject { ["name"] = "name", ["values"] = new JsonArray(imageName) }),
                ["maxResults"] = 25,
            };
            if (token is not null)
            {
                body["nextToken"] = token;
            }

            var answer = await client.RestJsonAsync(Service, region, HttpMethod.Post, "/ListImages", null, body, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("imageVersionList", out var list))
            {
                versions.AddRange(list.EnumerateArray().Select(v => Text(v, "arn")).OfType<string>());
            }

            token = Text(answer, "nextToken");
        }
        while (token is not null);

        var builds = new List<ImageBuild>();
        foreach (var version in versions)
        {
            token = null;
            do
            {
                var body = new JsonObject { ["imageVersionArn"] = version, ["maxResults"] = 25 };
                if (token is not null)
                {
                    body["nextToken"] = token;
                }

                var answer = await client.RestJsonAsync(Service, region, HttpMethod.Post, "/ListImageBuildVersions", null, body, cancellationToken).ConfigureAwait(false);
                if (answer.TryGetProperty("imageSummaryList", out var list))
                {
                    builds.AddRange(list.EnumerateArray().Select(Build));
                }

                token = Text(answer, "nextToken");
            }
            while (token is not null);
        }

        return builds;
    }

    /// <summary>One image build version (GetImage), with the distribution configuration it used.</summary>
    public static async Task<ImageBuild> ImageAsync(SignedRequests client, string region, string imageBuildVersionArn, CancellationToken cancellationToken)
    {
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Get, "/GetImage", new Dictionary<string, string> { ["imageBuildVersionArn"] = imageBuildVersionArn }, null, cancellationToken).ConfigureAwait(false);
        var image = answer.GetProperty("image");
        var configuration = image.TryGetProperty("distributionConfiguration", out var c) ? Text(c, "arn") : null;
        return Build(image) with { DistributionConfigurationArn = configuration };
    }

    /// <summary>A distribution configuration's <c>distributions</c> (GetDistributionConfiguration), as Image Builder returns them.</summary>
    public static async Task<JsonArray> DistributionsAsync(SignedRequests client, string region, string distributionConfigurationArn, CancellationToken cancellationToken)
    {
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Get, "/GetDistributionConfiguration", new Dictionary<string, string> { ["distributionConfigurationArn"] = distributionConfigurationArn }, null, cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("distributionConfiguration", out var configuration) && configuration.TryGetProperty("distributions", out var distributions)
            ? JsonNode.Parse(distributions.GetRawText())!.AsArray()
            : [];
    }

    /// <summary>Creates a distribution configuration (CreateDistributionConfiguration) and returns its ARN.</summary>
    public static async Task<string> CreateDistributionConfigurationAsync(SignedRequests client, string region, string name, string description, JsonArray distributions, IReadOnlyDictionary<string, string> tags, string clientToken, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["description"] = description,
            ["distributions"] = distributions.DeepClone(),
            ["tags"] = Tags(tags),
            ["clientToken"] = clientToken,
        };
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Put, "/CreateDistributionConfiguration", null, body, cancellationToken).ConfigureAwait(false);
        return Text(answer, "distributionConfigurationArn") ?? throw new InvalidOperationException("CreateDistributionConfiguration answered without distributionConfigurationArn");
    }

    /// <summary>Deletes a distribution configuration (DeleteDistributionConfiguration); one that is already gone counts as deleted.</summary>
    public static async Task DeleteDistributionConfigurationAsync(SignedRequests client, string region, string distributionConfigurationArn, CancellationToken cancellationToken)
    {
        try
        {
            await client.RestJsonAsync(Service, region, HttpMethod.Delete, "/DeleteDistributionConfiguration", new Dictionary<string, string> { ["distributionConfigurationArn"] = distributionConfigurationArn }, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonServiceException e) when (IsNotFound(e))
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Distributes an existing image with a distribution configuration (DistributeImage) and returns the ARN of the
    /// image resource the call creates. <paramref name="sourceImage"/> is an Image Builder image build version ARN,
    /// which must be AVAILABLE.
    /// </summary>
    public static async Task<string> DistributeImageAsync(SignedRequests client, string region, string sourceImage, string distributionConfigurationArn, string executionRole, IReadOnlyDictionary<string, string> tags, string clientToken, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["sourceImage"] = sourceImage,
            ["distributionConfigurationArn"] = distributionConfigurationArn,
            ["executionRole"] = executionRole,
            ["tags"] = Tags(tags),
            ["clientToken"] = clientToken,
        };
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Put, "/DistributeImage", null, body, cancellationToken).ConfigureAwait(false);
        return Text(answer, "imageBuildVersionArn") ?? throw new InvalidOperationException("DistributeImage answered without imageBuildVersionArn");
    }

    private static JsonObject Tags(IReadOnlyDictionary<string, string> tags)
    {
        var node = new JsonObject();
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            node[key] = value;
        }

        return node;
    }

    private static ImageBuild Build(JsonElement image)
    {
        var state = image.TryGetProperty("state", out var s) ? s : default;
        var outputs = image.TryGetProperty("outputResources", out var resources) && resources.TryGetProperty("amis", out var amis)
            ? amis.EnumerateArray().Select(a => new ImageOutput(Text(a, "region") ?? "", Text(a, "accountId"), Text(a, "image"))).ToList()
            : [];
        var tags = image.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object
            ? t.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new ImageBuild(
            Text(image, "arn") ?? "",
            state.ValueKind == JsonValueKind.Object ? Text(state, "status") ?? "" : "",
            state.ValueKind == JsonValueKind.Object ? Text(state, "reason") : null,
            outputs,
            tags,
            Output.Formats.ParseTime(Text(image, "dateCreated")));
    }
}
