using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace AmiInfra.Ops.Aws;

/// <summary>What DescribeImages says about one AMI id in a region.</summary>
/// <param name="Image">The AMI, or null when it is not there.</param>
/// <param name="KnownGone">
/// True when EC2 says it existed and was deregistered: state "deregistered", or an empty answer, which
/// the DescribeImages reference documents for recently deregistered AMIs ("Recently deregistered images
/// appear in the returned results for a short interval and then return empty results",
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html), whereas an id that
/// never existed is answered with InvalidAMIID.NotFound.
/// </param>
public sealed record ImageLookup(Image? Image, bool KnownGone);

/// <summary>
/// The AWS calls of one region that the commands use. Listings go through the SDK's paginators (every
/// page), and every mutation is idempotent (a resource that is already gone counts as done), which is
/// what makes the SDK's retries after a throttle, and a rerun after a partial failure, safe.
/// </summary>
public sealed partial class RegionGateway
{
    private const int PageSize = 1000;
    private readonly AwsSession session;
    private readonly IAmazonEC2 ec2;
    private readonly Func<IAmazonKeyManagementService> kms;

    /// <summary>Creates the gateway of a region.</summary>
    public RegionGateway(AwsSession session, string region)
    {
        this.session = session;
        Region = region;
        ec2 = session.Ec2(region);
        kms = () => session.Kms(region);
    }

    /// <summary>The region.</summary>
    public string Region { get; }

    /// <summary>The session the gateway belongs to.</summary>
    public AwsSession Session => session;

    /// <summary>Every AMI the account owns that matches the filters, disabled and deprecated ones included.</summary>
    public Task<List<Image>> OwnedImagesAsync(IEnumerable<Filter> filters, CancellationToken cancellationToken) =>
        ImagesAsync(["self"], filters, includeRetired: true, cancellationToken);

    /// <summary>Every AMI of the given owners (none: every AMI this account may launch) that matches the filters.</summary>
    public async Task<List<Image>> ImagesAsync(IReadOnlyList<string> owners, IEnumerable<Filter> filters, bool includeRetired, CancellationToken cancellationToken)
    {
        var request = new DescribeImagesRequest
        {
            Filters = filters.ToList(),
            MaxResults = PageSize,
            IncludeDeprecated = includeRetired,
            IncludeDisabled = includeRetired,
        };
        if (owners.Count > 0)
        {
            request.Owners = owners.ToList();
        }

        return await ToListAsync(ec2.Paginators.DescribeImages(request).Images, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One AMI by id, or null when it does not exist (any more).</summary>
    public async Task<Image?> ImageAsync(string imageId, CancellationToken cancellationToken) =>
        (await LookupImageAsync(imageId, cancellationToken).ConfigureAwait(false)).Image;

    /// <summary>One AMI by id, and whether EC2 says it was deregistered when it is not there.</summary>
    public async Task<ImageLookup> LookupImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId], IncludeDisabled = true, IncludeDeprecated = true }, cancellationToken).ConfigureAwait(false);
            var image = response.Images?.FirstOrDefault(i => i.ImageId == imageId);
            return image is null || image.State == ImageState.Deregistered ? new ImageLookup(null, true) : new ImageLookup(image, false);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidAMIID.Unavailable")
        {
            return new ImageLookup(null, true);
        }
        catch (AmazonEC2Exception e) when (AwsErrors.IsImageGone(e) || e.ErrorCode == "InvalidAMIID.Malformed")
        {
            return new ImageLookup(null, false);
        }
    }

    /// <summary>The launch permissions of an AMI (accounts, organizations, OUs, or the group "all").</summary>
    public async Task<List<LaunchPermission>> LaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeImageAttributeAsync(
            new DescribeImageAttributeRequest { ImageId = imageId, Attribute = ImageAttributeName.LaunchPermission },
            cancellationToken).ConfigureAwait(false);
        return response.ImageAttribute?.LaunchPermissions ?? [];
    }

    /// <summary>Adds launch permissions to an AMI (ModifyImageAttribute, launchPermission add: idempotent).</summary>
    public Task AddLaunchPermissionsAsync(string imageId, IReadOnlyList<LaunchPermission> permissions, CancellationToken cancellationToken) =>
        ec2.ModifyImageAttributeAsync(
            new ModifyImageAttributeRequest { ImageId = imageId, LaunchPermission = new LaunchPermissionModifications { Add = [.. permissions] } },
            cancellationToken);

    /// <summary>Who may create volumes from a snapshot (accounts, or the group "all"): how snapshots are shared or made public.</summary>
    public async Task<List<CreateVolumePermission>> CreateVolumePermissionsAsync(string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ec2.DescribeSnapshotAttributeAsync(
                new DescribeSnapshotAttributeRequest { SnapshotId = snapshotId, Attribute = SnapshotAttributeName.CreateVolumePermission },
                cancellationToken).ConfigureAwait(false);
            return response.CreateVolumePermissions ?? [];
        }
        catch (AmazonEC2Exception e) when (AwsErrors.IsSnapshotGone(e))
        {
            return [];
        }
    }

    /// <summary>Every snapshot the account owns in the region that matches the filters.</summary>
    public async Task<List<Snapshot>> OwnedSnapshotsAsync(string accountId, CancellationToken cancellationToken, IEnumerable<Filter>? filters = null)
    {
        var request = new DescribeSnapshotsRequest { OwnerIds = ["self"], MaxResults = PageSize, Filters = filters?.ToList() };
        var snapshots = await ToListAsync(ec2.Paginators.DescribeSnapshots(request).Snapshots, cancellationToken).ConfigureAwait(false);
        return snapshots.Where(s => s.OwnerId == accountId).ToList();
    }

    /// <summary>The ids of the AWS-managed KMS keys of the region (those behind an alias/aws/... alias).</summary>
    public async Task<HashSet<string>> AwsManagedKeyIdsAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var alias in kms().Paginators.ListAliases(new ListAliasesRequest { Limit = 100 }).Aliases.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (alias.AliasName?.StartsWith("alias/aws/", StringComparison.Ordinal) == true && alias.TargetKeyId is not null)
            {
                keys.Add(alias.TargetKeyId);
            }
        }

        return keys;
    }

    /// <summary>The instances (any state but terminated) launched from the given AMIs.</summary>
    public async Task<List<Instance>> InstancesOfAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        var instances = new List<Instance>();
        foreach (var chunk in imageIds.Chunk(200))
        {
            var request = new DescribeInstancesRequest
            {
                MaxResults = PageSize,
                Filters =
                [
                    new Filter { Name = "image-id", Values = [.. chunk] },
                    new Filter { Name = "instance-state-name", Values = ["pending", "running", "shutting-down", "stopping", "stopped"] },
                ],
            };
            await foreach (var reservation in ec2.Paginators.DescribeInstances(request).Reservations.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                instances.AddRange(reservation.Instances ?? []);
            }
        }

        return instances;
    }

    /// <summary>
    /// The default and the latest version of every launch template of the account in the region: without a
    /// template id, DescribeLaunchTemplateVersions describes "all the latest or default launch template
    /// versions in your account" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html).
    /// </summary>
    public Task<List<LaunchTemplateVersion>> LaunchTemplateVersionsAsync(CancellationToken cancellationToken) =>
        ToListAsync(ec2.Paginators.DescribeLaunchTemplateVersions(new DescribeLaunchTemplateVersionsRequest { Versions = ["$Latest", "$Default"], MaxResults = 200 }).LaunchTemplateVersions, cancellationToken);

    /// <summary>
    /// What references the given AMIs, by EC2's DescribeImageReferences (at most 10 AMIs a call): instances in any
    /// state but terminated (the default includes terminated ones, which stay visible for about an hour), every
    /// version of every launch template (the default checks only the 10 newest; 10000 is the documented maximum),
    /// SSM parameters, and Image Builder image and container recipes
    /// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-ami-references.html,
    /// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResourceTypeOption.html).
    /// </summary>
    public async Task<List<ImageReference>> ImageReferencesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        var references = new List<ImageReference>();
        foreach (var chunk in imageIds.Chunk(10))
        {
            var request = new DescribeImageReferencesRequest
            {
                ImageIds = [.. chunk],
                ResourceTypes =
                [
                    new ResourceTypeRequest
                    {
                        ResourceType = ImageReferenceResourceType.Ec2Instance,
                        ResourceTypeOptions = [new ResourceTypeOption { OptionName = ImageReferenceOptionName.StateName, OptionValues = [.. LiveInstanceStates] }],
                    },
                    new ResourceTypeRequest
                    {
                        ResourceType = ImageReferenceResourceType.Ec2LaunchTemplate,
                        ResourceTypeOptions = [new ResourceTypeOption { OptionName = ImageReferenceOptionName.VersionDepth, OptionValues = ["10000"] }],
                    },
                    new ResourceTypeRequest { ResourceType = ImageReferenceResourceType.SsmParameter },
                    new ResourceTypeRequest { ResourceType = ImageReferenceResourceType.ImagebuilderImageRecipe },
                    new ResourceTypeRequest { ResourceType = ImageReferenceResourceType.ImagebuilderContainerRecipe },
                ],
            };
            references.AddRange(await ToListAsync(ec2.Paginators.DescribeImageReferences(request).ImageReferences, cancellationToken).ConfigureAwait(false));
        }

        return references;
    }

    /// <summary>The instance states that count as a user: every state but terminated (API_InstanceState).</summary>
    public static readonly IReadOnlyList<string> LiveInstanceStates = ["pending", "running", "shutting-down", "stopping", "stopped"];

    /// <summary>
    /// Every version of every launch template of the account in the region that launches one of the given AMIs:
    /// DescribeLaunchTemplates, then DescribeLaunchTemplateVersions of each template (all its versions), at most
    /// <see cref="AwsSession.PerResourceConcurrency"/> at a time.
    /// </summary>
    public async Task<List<LaunchTemplateVersion>> LaunchTemplateVersionsUsingAsync(IReadOnlySet<string> imageIds, CancellationToken cancellationToken)
    {
        var templates = await ToListAsync(ec2.Paginators.DescribeLaunchTemplates(new DescribeLaunchTemplatesRequest { MaxResults = 200 }).LaunchTemplates, cancellationToken).ConfigureAwait(false);
        var versions = await session.BoundedAsync(templates, template => ToListAsync(
            ec2.Paginators.DescribeLaunchTemplateVersions(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateId = template.LaunchTemplateId, MaxResults = 200 }).LaunchTemplateVersions,
            cancellationToken), cancellationToken).ConfigureAwait(false);
        return versions.SelectMany(v => v).Where(v => v.LaunchTemplateData?.ImageId is { } id && imageIds.Contains(id)).ToList();
    }

    /// <summary>The AMIs in the Recycle Bin of the region (all, or those of <paramref name="imageIds"/>).</summary>
    public Task<List<ImageRecycleBinInfo>> ImagesInRecycleBinAsync(IReadOnlyCollection<string>? imageIds, CancellationToken cancellationToken)
    {
        var client = ec2;
        var request = new ListImagesInRecycleBinRequest { ImageIds = imageIds?.ToList(), MaxResults = imageIds is null ? 1000 : null };
        return ToListAsync(client.Paginators.ListImagesInRecycleBin(request).Images, cancellationToken);
    }

    /// <summary>The snapshots in the Recycle Bin of the region.</summary>
    public Task<List<SnapshotRecycleBinInfo>> SnapshotsInRecycleBinAsync(CancellationToken cancellationToken) =>
        ToListAsync(ec2.Paginators.ListSnapshotsInRecycleBin(new ListSnapshotsInRecycleBinRequest { MaxResults = 1000 }).Snapshots, cancellationToken);

    /// <summary>The account's block public access states for AMIs and for snapshots in the region (throws when the endpoint does not offer them).</summary>
    public async Task<(string Images, string Snapshots)> BlockPublicAccessAsync(CancellationToken cancellationToken)
    {
        var client = ec2;
        var images = await client.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest(), cancellationToken).ConfigureAwait(false);
        var snapshots = await client.GetSnapshotBlockPublicAccessStateAsync(new GetSnapshotBlockPublicAccessStateRequest(), cancellationToken).ConfigureAwait(false);
        return (images.ImageBlockPublicAccessState ?? "unknown", snapshots.State?.Value ?? "unknown");
    }

    /// <summary>
    /// The opt-in status of a region for the account (DescribeRegions with AllRegions: opt-in-not-required,
    /// opted-in or not-opted-in; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html),
    /// or null when EC2 does not list it.
    /// </summary>
    public async Task<string?> OptInStatusAsync(string region, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeRegionsAsync(new DescribeRegionsRequest { AllRegions = true, RegionNames = [region] }, cancellationToken).ConfigureAwait(false);
        return response.Regions?.FirstOrDefault(r => r.RegionName == region)?.OptInStatus;
    }

    /// <summary>The regions enabled for the account (DescribeRegions without AllRegions lists only those).</summary>
    public async Task<List<string>> EnabledRegionsAsync(CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeRegionsAsync(new DescribeRegionsRequest(), cancellationToken).ConfigureAwait(false);
        return (response.Regions ?? []).Select(r => r.RegionName).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
