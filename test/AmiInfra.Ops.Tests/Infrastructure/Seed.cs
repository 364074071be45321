using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>Seeds moto through the AWS SDK, the way the distribution would leave an account.</summary>
public static class Seed
{
    /// <summary>Registers an AMI carrying the factory's tags (moto ignores tags on RegisterImage, so they are added after).</summary>
    public static async Task<string> TaggedImageAsync(IAmazonEC2 ec2, string factory, string image, string name, params (string Key, string Value)[] extraTags)
    {
        var id = (await ec2.RegisterImageAsync(new RegisterImageRequest { Name = name, Architecture = ArchitectureValues.X86_64, RootDeviceName = "/dev/xvda" })).ImageId;
        await TagAsync(ec2, [id], factory, image, extraTags);
        return id;
    }

    /// <summary>Registers many tagged AMIs: RegisterImage calls in parallel, then one CreateTags per 500 AMIs.</summary>
    public static async Task<List<string>> TaggedImagesAsync(IAmazonEC2 ec2, string factory, string image, int count)
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        {
            ids[i] = (await ec2.RegisterImageAsync(new RegisterImageRequest { Name = $"{factory}-{image}-{i:D5}" }, token)).ImageId;
        });
        foreach (var chunk in ids.Chunk(500))
        {
            await TagAsync(ec2, chunk, factory, image, []);
        }

        return [.. ids];
    }

    /// <summary>Launches an instance and creates an AMI from it, as Image Builder does; returns the AMI and its snapshots.</summary>
    public static async Task<(string ImageId, List<string> Snapshots)> ImageFromInstanceAsync(IAmazonEC2 ec2, string factory, string image, string name)
    {
        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12c6146b", MinCount = 1, MaxCount = 1, InstanceType = InstanceType.T3Micro })).Reservation.Instances[0].InstanceId;
        var id = (await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instance, Name = name })).ImageId;
        await TagAsync(ec2, [id], factory, image, []);
        return (id, await SnapshotsOfAsync(ec2, id));
    }

    /// <summary>The snapshots an AMI's block device mappings name.</summary>
    public static async Task<List<string>> SnapshotsOfAsync(IAmazonEC2 ec2, string imageId)
    {
        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images;
        return images.SelectMany(i => i.BlockDeviceMappings ?? []).Select(m => m.Ebs.SnapshotId).ToList();
    }

    /// <summary>Creates a volume and a snapshot of it with the given description.</summary>
    public static async Task<string> SnapshotAsync(IAmazonEC2 ec2, string zone, string description, int sizeGiB, bool encrypted = false, string? kmsKeyId = null)
    {
        var volume = await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone, Size = sizeGiB, Encrypted = encrypted, KmsKeyId = kmsKeyId });
        return (await ec2.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = volume.Volume.VolumeId, Description = description })).Snapshot.SnapshotId;
    }

    /// <summary>Whether an AMI still exists.</summary>
    public static async Task<bool> ImageExistsAsync(IAmazonEC2 ec2, string imageId)
    {
        var owned = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] });
        return (owned.Images ?? []).Any(i => i.ImageId == imageId);
    }

    /// <summary>The snapshots the account owns (moto also lists its built-in AMIs' snapshots, owned by others).</summary>
    public static async Task<HashSet<string>> OwnedSnapshotsAsync(IAmazonEC2 ec2, string accountId)
    {
        var snapshots = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] });
        return (snapshots.Snapshots ?? []).Where(s => s.OwnerId == accountId).Select(s => s.SnapshotId).ToHashSet();
    }

    /// <summary>
    /// A launch configuration launching <paramref name="imageId"/> and an Auto Scaling group using it (the test project has
    /// no Auto Scaling SDK either: moto is seeded through the same signed Query client the tool uses).
    /// </summary>
    public static async Task LaunchConfigurationAsync(MotoAccount account, string region, string name, string imageId, string? group)
    {
        var client = new AmiInfra.Ops.Aws.SignedRequests(
            () => Task.FromResult(new Amazon.Runtime.ImmutableCredentials(account.Credentials.AccessKeyId, account.Credentials.SecretAccessKey, account.Credentials.SessionToken)),
            account.Server.Endpoint,
            null,
            TimeSpan.FromSeconds(30),
            _ => { });
        await client.QueryAsync("autoscaling", region, "2011-01-01", "CreateLaunchConfiguration", new Dictionary<string, string> { ["LaunchConfigurationName"] = name, ["ImageId"] = imageId, ["InstanceType"] = "t3.micro" }, CancellationToken.None);
        if (group is not null)
        {
            await client.QueryAsync("autoscaling", region, "2011-01-01", "CreateAutoScalingGroup", new Dictionary<string, string>
            {
                ["AutoScalingGroupName"] = group,
                ["LaunchConfigurationName"] = name,
                ["MinSize"] = "0",
                ["MaxSize"] = "1",
                ["AvailabilityZones.member.1"] = $"{region}a",
            }, CancellationToken.None);
        }
    }

    /// <summary>An SSM parameter holding an AMI id (data type text unless told otherwise, as a user or Image Builder may write it).</summary>
    public static async Task ParameterAsync(MotoAccount account, string region, string name, string imageId, string dataType = "text")
    {
        using var ssm = account.Ssm(region);
        await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest { Name = name, Value = imageId, Type = Amazon.SimpleSystemsManagement.ParameterType.String, DataType = dataType, Overwrite = true });
    }

    /// <summary>A Step Functions state machine of the account in a region (through the tool's signed JSON client: no Step Functions SDK here either); returns its ARN.</summary>
    public static async Task<string> StateMachineAsync(MotoAccount account, string region, string name, string definition)
    {
        var client = new AmiInfra.Ops.Aws.SignedRequests(
            () => Task.FromResult(new Amazon.Runtime.ImmutableCredentials(account.Credentials.AccessKeyId, account.Credentials.SecretAccessKey, account.Credentials.SessionToken)),
            account.Server.Endpoint,
            null,
            TimeSpan.FromSeconds(30),
            _ => { });
        var answer = await client.JsonAsync("states", region, "AWSStepFunctions", "CreateStateMachine", new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = name,
            ["definition"] = definition,
            ["roleArn"] = $"arn:aws:iam::{account.AccountId}:role/{name}",
        }, CancellationToken.None);
        return answer.GetProperty("stateMachineArn").GetString()!;
    }

    private static Task TagAsync(IAmazonEC2 ec2, IReadOnlyList<string> ids, string factory, string image, (string Key, string Value)[] extraTags) =>
        ec2.CreateTagsAsync(new CreateTagsRequest
        {
            Resources = [.. ids],
            Tags = [new Tag(AmiTagKeys.Factory, factory), new Tag(AmiTagKeys.Image, image), .. extraTags.Select(t => new Tag(t.Key, t.Value))],
        });
}
