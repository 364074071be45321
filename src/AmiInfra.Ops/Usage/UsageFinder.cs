using Amazon.EC2;
using Amazon.Runtime;
using AmiInfra.Ops.Aws;

namespace AmiInfra.Ops.Usage;

/// <summary>
/// Finds who uses AMIs — the one finder behind <c>usage</c>, <c>images --usage</c>, <c>lifecycle plan|apply</c> and
/// <c>deregister</c>. Every kind of user is looked for, and the answer says, kind by kind, which API found it or
/// why it could not be checked; it never quietly checks less:
/// <list type="bullet">
/// <item>instances (any state but terminated), launch templates (every version), SSM parameters and Image Builder
/// recipes: EC2's DescribeImageReferences (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-ami-references.html).
/// Where the endpoint does not offer it or the credentials may not call it, each of these kinds is looked for with
/// its own API instead — DescribeInstances, DescribeLaunchTemplates and DescribeLaunchTemplateVersions,
/// DescribeParameters and GetParameters, ListImageRecipes/ListContainerRecipes (and GetImage for a recipe whose
/// parent is an image of this account) — and a kind whose API is denied too is reported as not checked;</item>
/// <item>launch configurations and the Auto Scaling groups using them, always by Auto Scaling's own API:
/// DescribeImageReferences does not cover them (its resource types are ec2:Instance, ec2:LaunchTemplate,
/// ssm:Parameter, imagebuilder:ImageRecipe and imagebuilder:ContainerRecipe,
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResourceTypeRequest.html);</item>
/// <item>the factory's own SSM outputs (the "latest" parameter of each image), always read by name, whatever
/// their data type: AWS's pages do not say whether DescribeImageReferences looks at parameters of data type text.</item>
/// </list>
/// A throttle that outlasts the SDK's retries, or any other failure, is not a reason to check less: it propagates
/// and the command stops.
/// </summary>
public static class UsageFinder
{
    /// <summary>The name of the primary API.</summary>
    public const string Primary = "DescribeImageReferences";

    /// <summary>The usage of each of <paramref name="imageIds"/> in the gateway's region.</summary>
    /// <param name="gateway">The region.</param>
    /// <param name="imageIds">The AMIs.</param>
    /// <param name="factoryOutputs">The names of the factory's SSM outputs in the region (empty without a declaration).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<UsageLookup> FindAsync(RegionGateway gateway, IReadOnlyCollection<string> imageIds, IReadOnlyCollection<string> factoryOutputs, CancellationToken cancellationToken)
    {
        var ids = imageIds.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return new UsageLookup(new Dictionary<string, ImageUsage>(), []);
        }

        var users = new Users(ids);
        var coverage = new List<UsageCoverage>();
        var region = gateway.Region;
        var key = (Primary, region);
        string? primaryReason = gateway.Session.NotOffered.GetValueOrDefault(key);
        if (primaryReason is null)
        {
            try
            {
                var references = await gateway.ImageReferencesAsync(ids, cancellationToken).ConfigureAwait(false);
                foreach (var reference in references.Where(r => r.Arn is not null && ids.Contains(r.ImageId)))
                {
                    users.AddReference(reference.ImageId, reference.ResourceType?.Value, reference.Arn);
                }

                coverage.AddRange(new[] { UserKind.Instances, UserKind.LaunchTemplates, UserKind.SsmParameters, UserKind.Recipes }.Select(k => new UsageCoverage(k, region, Primary)));
            }
            catch (AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.Denied, AwsFailure.NotOffered))
            {
                primaryReason = $"ec2:{Primary} {AwsErrors.Why(e)}";
                if (AwsErrors.Classify(e) == AwsFailure.NotOffered)
                {
                    gateway.Session.NotOffered[key] = primaryReason;
                }
            }
        }

        if (primaryReason is not null)
        {
            coverage.Add(await CheckAsync(UserKind.Instances, region, "DescribeInstances", "ec2:DescribeInstances", primaryReason, async () =>
            {
                foreach (var instance in await gateway.InstancesOfAsync(ids, cancellationToken).ConfigureAwait(false))
                {
                    users.Add(instance.ImageId, UserKind.Instances, instance.InstanceId);
                }
            }).ConfigureAwait(false));
            coverage.Add(await CheckAsync(UserKind.LaunchTemplates, region, "DescribeLaunchTemplates and DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates and ec2:DescribeLaunchTemplateVersions", primaryReason, async () =>
            {
                foreach (var version in await gateway.LaunchTemplateVersionsUsingAsync(ids, cancellationToken).ConfigureAwait(false))
                {
                    users.AddTemplate(version.LaunchTemplateData.ImageId, version.LaunchTemplateId, version.VersionNumber ?? 0);
                }
            }).ConfigureAwait(false));
            coverage.Add(await CheckAsync(UserKind.SsmParameters, region, "DescribeParameters and GetParameters", "ssm:DescribeParameters and ssm:GetParameters", primaryReason, async () =>
            {
                foreach (var (name, value) in await ParameterGateway.ImageParametersAsync(gateway.Session, region, cancellationToken).ConfigureAwait(false))
                {
                    users.Add(value, UserKind.SsmParameters, name);
                }
            }).ConfigureAwait(false));
            coverage.Add(await CheckAsync(UserKind.Recipes, region, "ListImageRecipes and ListContainerRecipes", "imagebuilder:ListImageRecipes, imagebuilder:ListContainerRecipes and imagebuilder:GetImage", primaryReason, async () =>
            {
                foreach (var (recipe, ami) in await RecipeUsersAsync(gateway, ids, cancellationToken).ConfigureAwait(false))
                {
                    users.Add(ami, UserKind.Recipes, recipe);
                }
            }).ConfigureAwait(false));
        }

        coverage.Add(await CheckAsync(UserKind.LaunchConfigurations, region, "DescribeLaunchConfigurations and DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations and autoscaling:DescribeAutoScalingGroups", null, async () =>
        {
            var configurations = (await AutoScalingCalls.LaunchConfigurationsAsync(gateway.Session.Signed, region, cancellationToken).ConfigureAwait(false))
                .Where(c => ids.Contains(c.ImageId))
                .ToList();
            if (configurations.Count == 0)
            {
                return;
            }

            var groups = await AutoScalingCalls.GroupsAsync(gateway.Session.Signed, region, cancellationToken).ConfigureAwait(false);
            foreach (var configuration in configurations)
            {
                var using_ = groups.Where(g => g.LaunchConfigurationName == configuration.Name).Select(g => g.Name).Order(StringComparer.Ordinal).ToList();
                var label = using_.Count == 0 ? $"{configuration.Name} (no Auto Scaling group)" : $"{configuration.Name} (Auto Scaling group {string.Join(", ", using_)})";
                users.Add(configuration.ImageId, UserKind.LaunchConfigurations, label);
            }
        }).ConfigureAwait(false));

        if (factoryOutputs.Count > 0)
        {
            coverage.Add(await CheckAsync(UserKind.SsmParameters, region, "GetParameters (the factory's outputs)", "ssm:GetParameters", null, async () =>
            {
                foreach (var (name, value) in await ParameterGateway.ValuesAsync(gateway.Session, region, factoryOutputs, cancellationToken).ConfigureAwait(false))
                {
                    users.Add(value, UserKind.SsmParameters, name);
                }
            }).ConfigureAwait(false));
        }

        return new UsageLookup(users.Build(), coverage);
    }

    /// <summary>The names of the factory's SSM outputs (each image's "latest" parameter) in a region; none without a declaration.</summary>
    public static IReadOnlyList<string> OutputsOf(AmiInfra.Declaration.Factory? factory, string region) =>
        factory?.Images.Where(i => i.Distribution.Regions.Contains(region, StringComparer.Ordinal)).Select(i => i.Distribution.SsmParameterName).Distinct(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>Sorts DescribeImageReferences results by kind (the id is the last part of the ARN).</summary>
    public static ImageUsage FromReferences(string imageId, IEnumerable<(string? Type, string? Arn)> references)
    {
        var users = new Users(new HashSet<string>(StringComparer.Ordinal) { imageId });
        foreach (var (type, arn) in references.Where(r => r.Arn is not null))
        {
            users.AddReference(imageId, type, arn!);
        }

        return users.Build()[imageId];
    }

    /// <summary>
    /// Runs one check. A denial or an API the endpoint does not offer makes the kind "not checked", with the
    /// permission it needs; <paramref name="primaryReason"/> says why DescribeImageReferences did not answer for it.
    /// Anything else (a throttle that outlasts the retries, a service error) propagates: the command stops.
    /// </summary>
    private static async Task<UsageCoverage> CheckAsync(UserKind kind, string region, string source, string permissions, string? primaryReason, Func<Task> check)
    {
        try
        {
            await check().ConfigureAwait(false);
            return new UsageCoverage(kind, region, source, Instead: primaryReason);
        }
        catch (AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.Denied, AwsFailure.NotOffered))
        {
            var why = $"{permissions}: {AwsErrors.Why(e)}";
            return new UsageCoverage(kind, region, source, primaryReason is null ? why : $"{primaryReason}, and {why}", primaryReason);
        }
    }

    /// <summary>
    /// The recipes of the account that build on the AMIs: a parent given as the AMI id, or as an Image Builder image
    /// of this account whose AMI in the region is one of them (GetImage resolves a build version or wildcard ARN to
    /// the newest available build, https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_GetImage.html).
    /// </summary>
    private static async Task<List<(string Recipe, string Ami)>> RecipeUsersAsync(RegionGateway gateway, IReadOnlySet<string> ids, CancellationToken cancellationToken)
    {
        var recipes = await ImageBuilderCalls.RecipesAsync(gateway.Session.Signed, gateway.Region, cancellationToken).ConfigureAwait(false);
        var found = recipes.Where(r => ids.Contains(r.Parent)).Select(r => (r.Arn, r.Parent)).ToList();
        var images = recipes.Where(r => r.Parent.StartsWith("arn:", StringComparison.Ordinal) && r.Parent.Contains(":image/", StringComparison.Ordinal) && !r.Parent.Contains(":aws:image/", StringComparison.Ordinal))
            .GroupBy(r => r.Parent, StringComparer.Ordinal)
            .ToList();
        var resolved = await gateway.Session.BoundedAsync(images, async group =>
        {
            try
            {
                return (group, await ImageBuilderCalls.ImageAmisAsync(gateway.Session.Signed, gateway.Region, group.Key, cancellationToken).ConfigureAwait(false));
            }
            catch (AmazonServiceException e) when (ImageBuilderCalls.IsNotFound(e))
            {
                return (group, new List<string>());
            }
        }, cancellationToken).ConfigureAwait(false);
        foreach (var (group, amis) in resolved)
        {
            foreach (var ami in amis.Where(ids.Contains))
            {
                found.AddRange(group.Select(r => (r.Arn, ami)));
            }
        }

        return found;
    }

    /// <summary>The users found so far, by AMI and kind.</summary>
    private sealed class Users(IReadOnlySet<string> ids)
    {
        private readonly Dictionary<(string Image, UserKind Kind), SortedSet<string>> found = [];
        private readonly Dictionary<(string Image, string Template), SortedSet<long>> templates = [];
        private readonly Lock gate = new();

        public void Add(string imageId, UserKind kind, string user)
        {
            if (!ids.Contains(imageId))
            {
                return;
            }

            lock (gate)
            {
                if (!found.TryGetValue((imageId, kind), out var set))
                {
                    set = new SortedSet<string>(StringComparer.Ordinal);
                    found[(imageId, kind)] = set;
                }

                set.Add(user);
            }
        }

        public void AddTemplate(string imageId, string template, long version)
        {
            if (!ids.Contains(imageId))
            {
                return;
            }

            lock (gate)
            {
                if (!templates.TryGetValue((imageId, template), out var set))
                {
                    set = [];
                    templates[(imageId, template)] = set;
                }

                if (version > 0)
                {
                    set.Add(version);
                }
            }
        }

        public void AddReference(string imageId, string? type, string arn)
        {
            if (type == ImageReferenceResourceType.Ec2Instance.Value)
            {
                Add(imageId, UserKind.Instances, AfterSlash(arn));
            }
            else if (type == ImageReferenceResourceType.Ec2LaunchTemplate.Value)
            {
                AddTemplate(imageId, AfterSlash(arn), 0);
            }
            else if (type == ImageReferenceResourceType.SsmParameter.Value)
            {
                Add(imageId, UserKind.SsmParameters, arn.Contains(":parameter/", StringComparison.Ordinal) ? arn[(arn.IndexOf(":parameter", StringComparison.Ordinal) + 10)..] : arn);
            }
            else if (type?.StartsWith("imagebuilder:", StringComparison.Ordinal) == true)
            {
                Add(imageId, UserKind.Recipes, arn);
            }
        }

        public Dictionary<string, ImageUsage> Build() => ids.ToDictionary(
            id => id,
            id => new ImageUsage
            {
                ImageId = id,
                Instances = Of(id, UserKind.Instances),
                LaunchTemplates = templates.Where(t => t.Key.Image == id)
                    .Select(t => t.Value.Count switch
                    {
                        0 => t.Key.Template,
                        1 => $"{t.Key.Template} (version {t.Value.Min})",
                        _ => $"{t.Key.Template} (versions {string.Join(", ", t.Value)})",
                    })
                    .Order(StringComparer.Ordinal)
                    .ToList(),
                LaunchConfigurations = Of(id, UserKind.LaunchConfigurations),
                SsmParameters = Of(id, UserKind.SsmParameters),
                Recipes = Of(id, UserKind.Recipes),
            },
            StringComparer.Ordinal);

        private List<string> Of(string id, UserKind kind) => found.TryGetValue((id, kind), out var set) ? [.. set] : [];

        private static string AfterSlash(string arn) => arn[(arn.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }
}
