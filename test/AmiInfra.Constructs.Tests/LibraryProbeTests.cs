using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// The constructs as a C# user of the library meets them, synthesized once: every interface imported by ARN, granted
/// to a role and used as a typed reference (into a recipe, a pipeline or a lifecycle policy); pipelines of the app
/// granted; names generated and an execution role made where the props give none.
/// </summary>
public sealed class LibraryProbeFixture
{
    public const string ComponentArn = "arn:aws:imagebuilder:us-east-1:123456789012:component/golden-cis/2.1.0/1";
    public const string RecipeArn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden-base/1.4.2";
    public const string InfrastructureArn = "arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/golden-build";
    public const string DistributionArn = "arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/golden-base";
    public const string PipelineArn = "arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/golden-base";
    public const string LifecycleArn = "arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/golden-base";

    public LibraryProbeFixture()
    {
        Stack = TestEnv.NewStack("Probe");
        var reader = new Role(Stack, "Reader", new RoleProps { AssumedBy = new AccountRootPrincipal() });

        Component = AmiInfra.Constructs.Build.Component.FromComponentArn(Stack, "Cis", ComponentArn);
        Recipe = ImageRecipe.FromImageRecipeArn(Stack, "BaseRecipe", RecipeArn);
        Infrastructure = InfrastructureConfiguration.FromInfrastructureConfigurationArn(Stack, "BuildInfrastructure", InfrastructureArn);
        Distribution = DistributionConfiguration.FromDistributionConfigurationArn(Stack, "BaseDistribution", DistributionArn);
        ImportedPipeline = ImagePipeline.FromImagePipelineArn(Stack, "BasePipeline", PipelineArn);
        Lifecycle = AmiLifecyclePolicy.FromLifecyclePolicyArn(Stack, "BaseLifecycle", LifecycleArn);
        Component.GrantRead(reader);
        Recipe.GrantRead(reader);
        Infrastructure.GrantRead(reader);
        Distribution.GrantRead(reader);
        ImportedPipeline.GrantStartExecution(reader);
        Lifecycle.GrantRead(reader);

        // Typed references: the imported component in a recipe of the app; imported recipe, infrastructure and
        // distribution in a pipeline of the app; the imported recipe selected by a lifecycle policy with no role given.
        var key = new Amazon.CDK.AWS.KMS.Key(Stack, "BuildKey", new Amazon.CDK.AWS.KMS.KeyProps { EnableKeyRotation = true });
        NewRecipe = new ImageRecipe(Stack, "Hardened", new ImageRecipeProps
        {
            ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
            Components = [new RecipeComponent(Component)],
            BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = key }],
        });
        Pipeline = new ImagePipeline(Stack, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-base",
            Recipe = Recipe,
            InfrastructureConfiguration = Infrastructure,
            DistributionConfiguration = Distribution,
            ExecutionRole = Role.FromRoleName(Stack, "ExecutionRole", "golden-image-builder-execution"),
        });
        Pipeline.GrantStartExecution(reader);
        Policy = new AmiLifecyclePolicy(Stack, "Retirement", new AmiLifecyclePolicyProps
        {
            Recipes = [RecipeSelection.Of(Recipe)],
            Delete = Lifecycle_(365),
        });

        ByName = ImageRecipe.FromImageRecipeName(Stack, "ByName", "golden-base");
        ByNameArn = Stack.Resolve(ByName.ImageRecipeArn);
        PipelineArnResolved = Stack.Resolve(Pipeline.ImagePipelineArn);
        Template = Template.FromStack(Stack);
    }

    public Stack Stack { get; }

    public IComponent Component { get; }

    public IImageRecipe Recipe { get; }

    public IInfrastructureConfiguration Infrastructure { get; }

    public IDistributionConfiguration Distribution { get; }

    public IImagePipeline ImportedPipeline { get; }

    public ILifecyclePolicy Lifecycle { get; }

    public ImageRecipe NewRecipe { get; }

    public ImagePipeline Pipeline { get; }

    public AmiLifecyclePolicy Policy { get; }

    public IImageRecipe ByName { get; }

    public object ByNameArn { get; }

    public object PipelineArnResolved { get; }

    public Template Template { get; }

    private static AmiInfra.Constructs.Lifecycle.LifecycleRule Lifecycle_(int days) => AmiInfra.Constructs.Lifecycle.LifecycleRule.Age(days);
}

[Collection(CdkCollection.Name)]
public sealed class LibraryProbeTests(LibraryProbeFixture fixture) : IClassFixture<LibraryProbeFixture>
{
    public static TheoryData<string, string> ReadGrants => new()
    {
        { "imagebuilder:GetComponent", LibraryProbeFixture.ComponentArn },
        { "imagebuilder:GetImageRecipe", LibraryProbeFixture.RecipeArn },
        { "imagebuilder:GetInfrastructureConfiguration", LibraryProbeFixture.InfrastructureArn },
        { "imagebuilder:GetDistributionConfiguration", LibraryProbeFixture.DistributionArn },
        { "imagebuilder:StartImagePipelineExecution", LibraryProbeFixture.PipelineArn },
        { "imagebuilder:GetLifecyclePolicy", LibraryProbeFixture.LifecycleArn },
    };

    [Theory]
    [MemberData(nameof(ReadGrants))]
    public void An_import_by_arn_grants_its_action_on_that_arn_only(string action, string arn)
    {
        fixture.Template.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Action"] = action, ["Resource"] = arn, ["Effect"] = "Allow" })]),
            }),
        }));
    }

    [Fact]
    public void Imports_by_arn_read_name_and_version_from_the_arn()
    {
        Assert.Equal(("golden-cis", "2.1.0"), (fixture.Component.ComponentName, fixture.Component.ComponentVersion));
        Assert.Equal(("golden-base", "1.4.2"), (fixture.Recipe.ImageRecipeName, fixture.Recipe.ImageRecipeVersion));
        Assert.Equal("golden-build", fixture.Infrastructure.InfrastructureConfigurationName);
        Assert.Equal("golden-base", fixture.Distribution.DistributionConfigurationName);
        Assert.Equal("golden-base", fixture.ImportedPipeline.ImagePipelineName);
        Assert.Equal("golden-base", fixture.Lifecycle.LifecyclePolicyName);
    }

    [Fact]
    public void An_import_by_name_formats_the_arn_of_the_stack()
    {
        var arn = System.Text.Json.JsonSerializer.Serialize(fixture.ByNameArn);
        Assert.Contains("{\"Ref\":\"AWS::Partition\"}", arn, StringComparison.Ordinal);
        Assert.Contains(":imagebuilder:us-east-1:123456789012:image-recipe/golden-base/x.x.x", arn, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_references_become_the_pipelines_arns()
    {
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-base",
            ["ImageRecipeArn"] = LibraryProbeFixture.RecipeArn,
            ["InfrastructureConfigurationArn"] = LibraryProbeFixture.InfrastructureArn,
            ["DistributionConfigurationArn"] = LibraryProbeFixture.DistributionArn,
            ["ExecutionRole"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::Join"] = Match.AnyValue() }),
        });
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Components"] = new object[] { new Dictionary<string, object> { ["ComponentArn"] = LibraryProbeFixture.ComponentArn } },
        }));
    }

    [Fact]
    public void A_pipeline_of_the_app_grants_starting_it_on_its_own_arn()
    {
        var pipelineId = Assert.Single(fixture.Template.FindResources("AWS::ImageBuilder::ImagePipeline").Keys);
        Assert.Equal(new Dictionary<string, object> { ["Ref"] = pipelineId }, fixture.PipelineArnResolved);
        fixture.Template.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Action"] = "imagebuilder:StartImagePipelineExecution",
                    ["Resource"] = new Dictionary<string, object> { ["Ref"] = pipelineId },
                })]),
            }),
        }));
    }

    [Fact]
    public void A_lifecycle_policy_given_no_role_makes_one_and_selects_the_typed_recipe_by_name()
    {
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ResourceSelection"] = new Dictionary<string, object> { ["Recipes"] = new object[] { new Dictionary<string, object> { ["Name"] = "golden-base", ["SemanticVersion"] = "x.x.x" } } },
            ["ExecutionRole"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { Match.StringLikeRegexp("^RetirementExecutionRole"), "Arn" } },
        }));
        fixture.Template.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(new Dictionary<string, object>
        {
            ["AssumeRolePolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Principal"] = new Dictionary<string, object> { ["Service"] = "imagebuilder.amazonaws.com" } }) },
            }),
        }));
    }

    [Fact]
    public void Names_are_generated_from_the_construct_path_where_none_is_given()
    {
        Assert.Matches("^probe-hardened-[a-z0-9]+$", fixture.NewRecipe.ImageRecipeName);
        Assert.Matches("^probe-retirement-[a-z0-9]+$", fixture.Policy.LifecyclePolicyName);
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object> { ["Name"] = fixture.NewRecipe.ImageRecipeName }));
    }

    [Fact]
    public void A_reference_by_name_is_no_construct_and_says_how_to_import_one()
    {
        var reference = ImageRecipe.FromFragment("Recipe", "golden-base", "1.4.2");
        var e = Assert.Throws<InvalidOperationException>(() => reference.Node);
        Assert.Contains("ImageRecipe.FromImageRecipeAttributes", e.Message, StringComparison.Ordinal);
        Assert.Contains(":imagebuilder:", reference.ImageRecipeArn, StringComparison.Ordinal);
        Assert.EndsWith(":image-recipe/golden-base/1.4.2", reference.ImageRecipeArn, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_is_a_token_is_accepted_and_left_to_cloudformation()
    {
        var stack = TestEnv.NewStack("TokenNames");
        var name = Fn.Join("-", ["golden", Aws.REGION]);
        var component = new Component(stack, "Component", new ComponentProps { ComponentName = name, Document = Build.Documents.Parse(Build.Documents.Baseline), Platform = ComponentPlatform.Linux });
        Assert.Equal(name, component.ComponentName);
    }

    /// <summary>An import by a name that is a token keeps the token in its ARN (lower-casing it would break it).</summary>
    [Fact]
    public void An_import_by_a_name_that_is_a_token_keeps_the_token_in_its_arn()
    {
        var stack = TestEnv.NewStack("TokenImports");
        var name = new CfnParameter(stack, "PipelineName", new CfnParameterProps { Type = "String" }).ValueAsString;
        var arns = new[]
        {
            ImagePipeline.FromImagePipelineName(stack, "Pipeline", name).ImagePipelineArn,
            DistributionConfiguration.FromDistributionConfigurationName(stack, "Distribution", name).DistributionConfigurationArn,
            InfrastructureConfiguration.FromInfrastructureConfigurationName(stack, "Infrastructure", name).InfrastructureConfigurationArn,
            ImageRecipe.FromImageRecipeAttributes(stack, "Recipe", new ImageRecipeAttributes { ImageRecipeName = name }).ImageRecipeArn,
            Component.FromComponentAttributes(stack, "Component", new ComponentAttributes { ComponentName = name }).ComponentArn,
        };
        foreach (var arn in arns)
        {
            Assert.Contains("{\"Ref\":\"PipelineName\"}", System.Text.Json.JsonSerializer.Serialize(stack.Resolve(arn)), StringComparison.Ordinal);
        }
    }
}
