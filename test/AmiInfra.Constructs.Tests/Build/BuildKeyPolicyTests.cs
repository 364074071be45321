using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using Annotations = Amazon.CDK.Assertions.Annotations;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>
/// The build infrastructure owns what its topic needs: with a key of the app it adds the key policy statement that lets
/// Image Builder encrypt its notices; with an imported key, whose policy it cannot change, it says what the key needs.
/// Two stacks, synthesized once.
/// </summary>
public sealed class BuildKeyPolicyFixture
{
    public BuildKeyPolicyFixture()
    {
        var own = TestEnv.NewStack("OwnKey");
        _ = new BuildInfrastructure(own, "Build", new BuildInfrastructureProps { NamePrefix = "golden", Key = new Key(own, "Key", new KeyProps { EnableKeyRotation = true }) });
        OwnKey = Template.FromStack(own);
        OwnKeyAnnotations = Annotations.FromStack(own);

        var imported = TestEnv.NewStack("ImportedKey");
        _ = new BuildInfrastructure(imported, "Build", new BuildInfrastructureProps
        {
            NamePrefix = "golden",
            Key = Key.FromKeyArn(imported, "Key", "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"),
        });
        ImportedKeyAnnotations = Annotations.FromStack(imported);
    }

    public Template OwnKey { get; }

    public Annotations OwnKeyAnnotations { get; }

    public Annotations ImportedKeyAnnotations { get; }
}

[Collection(CdkCollection.Name)]
public sealed class BuildKeyPolicyTests(BuildKeyPolicyFixture fixture) : IClassFixture<BuildKeyPolicyFixture>
{
    [Fact]
    public void A_key_of_the_app_lets_image_builders_service_linked_role_encrypt_notices_through_sns_only()
    {
        fixture.OwnKey.HasResourceProperties("AWS::KMS::Key", Match.ObjectLike(new Dictionary<string, object>
        {
            ["KeyPolicy"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Sid"] = "AllowImageBuilderToNotify",
                    ["Action"] = new object[] { "kms:GenerateDataKey*", "kms:Decrypt" },
                    ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalAccount"] = TestEnv.Account, ["kms:ViaService"] = "sns.us-east-1.amazonaws.com" },
                        ["ArnLike"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = $"arn:aws:iam::{TestEnv.Account}:role/{BuildInfrastructure.ImageBuilderServiceLinkedRole}" },
                    },
                })]),
            }),
        }));
        fixture.OwnKeyAnnotations.HasNoWarning("*", Match.StringLikeRegexp(".*key policy was not changed.*"));
    }

    [Fact]
    public void An_imported_key_is_left_as_it_is_with_a_warning_saying_what_it_needs()
    {
        fixture.ImportedKeyAnnotations.HasWarning("/ImportedKey/Build", Match.StringLikeRegexp("The key is not of this app.*build-failure notices are dropped.*"));
    }
}
