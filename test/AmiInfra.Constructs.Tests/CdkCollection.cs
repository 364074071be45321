using Amazon.CDK;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// All CDK tests share one collection: jsii answers one call at a time, so parallel test classes
/// only queue up behind each other. Each test class synthesizes its stacks once, in a fixture.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CdkCollection
{
    public const string Name = "cdk";
}

/// <summary>The fixed environment every construct test synthesizes in.</summary>
public static class TestEnv
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    public static Stack NewStack(string id = "Test", string? region = null) =>
        new(new App(), id, new StackProps { Env = new Amazon.CDK.Environment { Account = Account, Region = region ?? Region } });
}
