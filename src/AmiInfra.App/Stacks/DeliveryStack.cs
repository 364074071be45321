using Amazon.CDK;
using Amazon.CDK.Pipelines;
using AmiInfra.Constructs.Guardrails;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The factory's self-mutating deployment pipeline (CDK Pipelines on CodePipeline): source from a
/// CodeConnections connection; a synth step that installs the .NET SDK and the pinned CDK CLI,
/// runs the tests, synthesizes and lints every template with cfn-lint; then the regional stacks as
/// one wave, the factory, and the distribution targets, each protected stage behind a manual
/// approval.
/// </summary>
public sealed class DeliveryStack : Stack
{
    /// <summary>Creates the pipeline for <paramref name="factory"/>, which synthesizes <paramref name="declarationPath"/>.</summary>
    public DeliveryStack(Construct scope, Factory factory, string declarationPath)
        : base(scope, NameOf(factory), FactoryStackProps.For(factory, NameOf(factory), "the deployment pipeline."))
    {
        var delivery = factory.Delivery ?? throw new ArgumentException("the factory declares no delivery", nameof(factory));
        Delivery = delivery;
        Pipeline = new CodePipeline(this, "Pipeline", new CodePipelineProps
        {
            PipelineName = NameOf(factory),
            SelfMutation = true,
            CrossAccountKeys = true,
            EnableKeyRotation = true,
            Synth = new ShellStep("Synth", new ShellStepProps
            {
                Input = CodePipelineSource.Connection(delivery.Repository, delivery.Branch, new ConnectionSourceOptions
                {
                    ConnectionArn = delivery.ConnectionArn,
                }),
                InstallCommands = InstallCommands,
                Commands = SynthCommands(declarationPath, factory.DistributionRegions),
            }),
        });
    }

    /// <summary>
    /// Builds the pipeline once its stages are added, and drops the explicit dependency of the
    /// pipeline on its role, which the role's ARN reference already orders (cfn-lint W3005).
    /// </summary>
    private void Finish()
    {
        Pipeline.BuildPipeline();
        var pipeline = (CfnResource)Pipeline.Pipeline.Node.DefaultChild!;
        var policy = (CfnResource)Pipeline.Pipeline.Role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        pipeline.AddOverride("DependsOn", new[] { GetLogicalId(policy) });

        // CDK Pipelines' own policies: acknowledged one by one, with the reason.
        Guardrails.Acknowledge(
            policy,
            GuardrailRuleIds.WildcardResource,
            "CDK Pipelines lets the pipeline role use the artifact keys of the cross-region support stacks, whose key ARNs are not known at synth");
        Guardrails.Acknowledge(
            Find("Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy"),
            GuardrailRuleIds.WildcardResource,
            "the self-mutation step runs cdk deploy, which lists the bootstrap buckets of every stage's environment by name it only learns at run time");
        AcknowledgeFrameworkFindings();
    }

    /// <summary>
    /// cdk-nag's findings on what CDK Pipelines makes (its policies, its artifact and replication buckets) are the
    /// framework's: acknowledged on each of those resources, with that reason. Nothing of the factory is covered.
    /// </summary>
    private void AcknowledgeFrameworkFindings()
    {
        const string Framework = "CDK Pipelines writes this resource itself";
        foreach (var node in Pipeline.Node.FindAll())
        {
            if (node is not CfnResource resource)
            {
                continue;
            }

            switch (resource.CfnResourceType)
            {
                case "AWS::IAM::Policy":
                    Guardrails.Acknowledge(resource, "AwsSolutions-IAM5", $"{Framework}: its grants on the artifact bucket, the artifact keys, CodeBuild's logs and reports and the bootstrap roles use the wildcards CDK Pipelines chooses");
                    break;
                case "AWS::S3::Bucket":
                    Guardrails.Acknowledge(resource, "AwsSolutions-S1", $"{Framework}: the pipeline's artifact bucket, encrypted with the pipeline's key and private");
                    break;
            }
        }

        foreach (var support in Pipeline.Pipeline.CrossRegionSupport.Values)
        {
            Guardrails.Acknowledge(support.ReplicationBucket, "AwsSolutions-S1", $"{Framework}: the artifact replication bucket of the cross-region support stack, encrypted and private");
        }
    }

    private IConstruct Find(string path) =>
        path.Split('/').Aggregate((IConstruct)this, (node, id) => node.Node.FindChild(id));

    /// <summary>The list of Python tools, pinned, that CI (.ci/run) and the synth step both install.</summary>
    public const string PythonToolsFile = ".ci/python-tools.txt";

    /// <summary>
    /// What the synth step installs: the .NET SDK that global.json pins, the pinned CDK CLI, and the pinned Python
    /// tools of <see cref="PythonToolsFile"/> (cfn-lint, and moto_server, which the amiinfra tests of dotnet test start).
    /// </summary>
    public static readonly string[] InstallCommands =
    [
        "curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh",
        "bash /tmp/dotnet-install.sh --jsonfile global.json --install-dir \"$HOME/.dotnet\"",
        "npm ci",
        $"pip3 install --quiet -r {PythonToolsFile}",
    ];

    /// <summary>The declared delivery.</summary>
    public DeliverySettings Delivery { get; }

    /// <summary>The pipeline.</summary>
    public CodePipeline Pipeline { get; }

    /// <summary>The stack's name.</summary>
    public static string NameOf(Factory factory) => $"{factory.Name}-delivery";

    /// <summary>
    /// What the synth step runs: tests, synth, and cfn-lint of every template in the assembly and of the templates its
    /// StackSets deploy, as CI lints them: informational checks included but I1022 (prefer Fn::Sub to Fn::Join), which
    /// cfn-lint skips for templates it recognizes as the CDK's by their metadata resource, and which the CDK leaves out
    /// in GovCloud.
    /// </summary>
    public static string[] SynthCommands(string declarationPath, IEnumerable<string> regions)
    {
        var lint = $"cfn-lint --include-checks I --ignore-checks I1022 --regions {string.Join(" ", regions)} --";
        return
        [
            "export PATH=\"$HOME/.dotnet:$PATH\" DOTNET_CLI_TELEMETRY_OPTOUT=1",
            "dotnet test",
            $"npx cdk synth -c declaration={declarationPath}",
            $"find cdk.out -name '*.template.json' -print0 | xargs -0 {lint}",
            $"if [ \"$(node .ci/stackset-templates.js cdk.out)\" -gt 0 ]; then {lint} cdk.out/stacksets/*.json; fi",
        ];
    }

    /// <summary>Adds the deployment stages in order: regions (one wave), factory, targets.</summary>
    public void AddStages(IReadOnlyList<Stage> regions, Stage factory, Stage? targets)
    {
        var wave = Pipeline.AddWave("Regions", new WaveOptions { Pre = Approval("regions") });
        foreach (var region in regions)
        {
            wave.AddStage(region);
        }

        Pipeline.AddStage(factory, new AddStageOpts { Pre = Approval("factory") });
        if (targets is not null)
        {
            Pipeline.AddStage(targets, new AddStageOpts { Pre = Approval("targets") });
        }

        Finish();
    }

    private Step[]? Approval(string stage) =>
        Delivery.ProtectedStages.Contains(stage)
            ? [new ManualApprovalStep($"Approve-{stage}", new ManualApprovalStepProps { Comment = $"Deploy the {stage} stage of the factory?" })]
            : null;
}
