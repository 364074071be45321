using System.Diagnostics;
using System.Text.Json;
using AmiInfra.Constructs.Governance;

namespace AmiInfra.Constructs.Tests.Governance;

/// <summary>
/// The account-controls function's code, exactly as the templates carry it inline, run with python3 and
/// botocore (as in Lambda's python3.12 runtime) against <see cref="FakeEc2"/>: each custom-resource event
/// (Create, Update, Delete) gives the EC2 calls and the CloudFormation response these tests expect.
/// </summary>
public sealed class AccountControlsHandlerTests : IDisposable
{
    private const string CustomKey = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    private readonly FakeEc2 _ec2 = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("amiinfra-handler-").FullName;

    public AccountControlsHandlerTests() => File.WriteAllText(Path.Combine(_folder, "index.py"), AccountControls.HandlerSource);

    public void Dispose()
    {
        _ec2.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static readonly object AllowedEnabled = new
    {
        Control = "allowed-images",
        Mode = "enabled",
        Criteria = new object[]
        {
            new { Providers = new[] { "123456789012" } },
            new { Providers = new[] { "amazon", "111122223333" }, Names = new[] { "al2023-ami-*" }, MaxDaysSinceCreated = "365", MaxDaysSinceDeprecated = "0" },
        },
    };

    private static readonly object AllowedAudit = new { Control = "allowed-images", Mode = "audit-mode", Criteria = new object[] { new { Providers = new[] { "123456789012" } } } };

    private static readonly object ImageBlock = new { Control = "image-block-public-access", State = "block-new-sharing" };

    private JsonElement Run(string requestType, object properties, string? physicalId = null)
    {
        _ec2.Calls.Clear();
        var resourceProperties = JsonSerializer.SerializeToElement(properties);
        var withToken = JsonSerializer.Deserialize<Dictionary<string, object>>(resourceProperties.GetRawText())!;
        withToken["ServiceToken"] = "arn:aws:lambda:us-east-1:123456789012:function:golden-account-controls";
        var @event = new Dictionary<string, object?>
        {
            ["RequestType"] = requestType,
            ["ResponseURL"] = _ec2.ResponseUrl,
            ["StackId"] = "arn:aws:cloudformation:us-east-1:123456789012:stack/golden-region-us-east-1/guid",
            ["RequestId"] = "request-1",
            ["LogicalResourceId"] = "AllowedImages",
            ["ResourceType"] = "Custom::AmiInfraAllowedImages",
            ["ResourceProperties"] = withToken,
        };
        if (physicalId is not null)
        {
            @event["PhysicalResourceId"] = physicalId;
        }

        var start = new ProcessStartInfo("python3", ["-c", "import json, sys; sys.path.insert(0, sys.argv[1]); import index; index.handler(json.load(sys.stdin), None)", _folder])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        start.Environment["AWS_SESSION_TOKEN"] = "token";
        start.Environment["AWS_ENDPOINT_URL_EC2"] = $"http://127.0.0.1:{_ec2.Port}";
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(@event));
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed (needs botocore, which moto installs): {stderr.Result}");
        return _ec2.Response ?? throw new InvalidOperationException("the handler sent no response");
    }

    private static string Status(JsonElement response) => response.GetProperty("Status").GetString()!;

    private static string Physical(JsonElement response) => response.GetProperty("PhysicalResourceId").GetString()!;

    /// <summary>The EC2 actions the function's role may call, read from the role the template renders for <paramref name="props"/>.</summary>
    private static HashSet<string> RoleActions(AccountControlsProps props)
    {
        var role = AccountControls.Render(props, "Controls").Single(r => r.LogicalId == AccountControls.LogicalIds.Role);
        var policy = ((object[])role.Definition.Properties["Policies"]).Cast<Dictionary<string, object>>().Single(p => (string)p["PolicyName"] == "AccountControlsForAmis");
        var statement = (Dictionary<string, object>)((object[])((Dictionary<string, object>)policy["PolicyDocument"])["Statement"]).Single();
        return [.. (string[])statement["Action"]];
    }

    [Fact]
    public void Allowed_images_from_disabled_go_through_audit_mode_get_their_criteria_and_are_restored_on_delete()
    {
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("SUCCESS", Status(created));
        Assert.Equal(["EnableAllowedImagesSettings", "ReplaceImageCriteriaInAllowedImagesSettings", "EnableAllowedImagesSettings"], _ec2.Mutations);
        Assert.Equal("audit-mode", _ec2.Calls.First(c => c.Action == "EnableAllowedImagesSettings").Parameters["AllowedImagesSettingsState"]);
        Assert.Equal("enabled", _ec2.AllowedImagesState);
        var replaced = _ec2.Calls.Single(c => c.Action == "ReplaceImageCriteriaInAllowedImagesSettings").Parameters;
        Assert.Equal("123456789012", replaced["ImageCriterion.1.ImageProvider.1"]);
        Assert.Equal("111122223333", replaced["ImageCriterion.2.ImageProvider.2"]);
        Assert.Equal("al2023-ami-*", replaced["ImageCriterion.2.ImageName.1"]);
        Assert.Equal("365", replaced["ImageCriterion.2.CreationDateCondition.MaximumDaysSinceCreated"]);
        Assert.Equal("0", replaced["ImageCriterion.2.DeprecationTimeCondition.MaximumDaysSinceDeprecated"]);
        Assert.StartsWith("amiinfra-governance:allowed-images:", Physical(created), StringComparison.Ordinal);

        var deleted = Run("Delete", AllowedEnabled, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Equal(["ReplaceImageCriteriaInAllowedImagesSettings", "DisableAllowedImagesSettings"], _ec2.Mutations);
        Assert.Equal("disabled", _ec2.AllowedImagesState);
        Assert.Empty(_ec2.Criteria);
    }

    [Fact]
    public void An_update_to_the_same_settings_changes_nothing_and_keeps_the_record()
    {
        var created = Run("Create", AllowedEnabled);
        var updated = Run("Update", AllowedEnabled, Physical(created));
        Assert.Equal("SUCCESS", Status(updated));
        Assert.Equal(Physical(created), Physical(updated));
        Assert.Empty(_ec2.Mutations);
        Assert.Equal(["GetAllowedImagesSettings"], _ec2.Calls.Select(c => c.Action));
    }

    [Fact]
    public void Allowed_images_already_set_by_the_account_are_restored_as_they_were()
    {
        _ec2.AllowedImagesState = "audit-mode";
        _ec2.Criteria = [(["amazon"], ["Windows_Server-*"], "90", null)];
        var created = Run("Create", AllowedEnabled);
        Assert.Equal(["ReplaceImageCriteriaInAllowedImagesSettings", "EnableAllowedImagesSettings"], _ec2.Mutations);

        Run("Delete", AllowedEnabled, Physical(created));
        Assert.Equal("audit-mode", _ec2.AllowedImagesState);
        var criterion = Assert.Single(_ec2.Criteria);
        Assert.Equal(["amazon"], criterion.Providers);
        Assert.Equal(["Windows_Server-*"], criterion.Names);
        Assert.Equal(("90", (string?)null), (criterion.Created, criterion.Deprecated));
    }

    [Fact]
    public void Image_block_public_access_is_turned_on_and_off_again_only_if_it_was_off()
    {
        var properties = new { Control = "image-block-public-access", State = "block-new-sharing" };
        var created = Run("Create", properties);
        Assert.Equal(["EnableImageBlockPublicAccess"], _ec2.Mutations);
        Run("Delete", properties, Physical(created));
        Assert.Equal(["DisableImageBlockPublicAccess"], _ec2.Mutations);
        Assert.Equal("unblocked", _ec2.ImageBlockPublicAccess);

        _ec2.ImageBlockPublicAccess = "block-new-sharing";
        var already = Run("Create", properties);
        Assert.Empty(_ec2.Mutations);
        Run("Delete", properties, Physical(already));
        Assert.Empty(_ec2.Mutations);
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
    }

    [Fact]
    public void Ebs_encryption_by_default_sets_the_default_key_and_restores_the_account_s_own()
    {
        _ec2.EbsDefaultKey = CustomKey;
        var properties = new { Control = "ebs-encryption-by-default", DefaultKey = "aws-managed" };
        var created = Run("Create", properties);
        Assert.Equal(["EnableEbsEncryptionByDefault", "ResetEbsDefaultKmsKeyId"], _ec2.Mutations);
        Assert.True(_ec2.EbsEncryptionByDefault);

        Run("Delete", properties, Physical(created));
        Assert.Equal(["ModifyEbsDefaultKmsKeyId", "DisableEbsEncryptionByDefault"], _ec2.Mutations);
        Assert.Equal((CustomKey, false), (_ec2.EbsDefaultKey, _ec2.EbsEncryptionByDefault));
    }

    [Fact]
    public void Ebs_encryption_by_default_with_keep_leaves_the_default_key_alone()
    {
        var properties = new { Control = "ebs-encryption-by-default", DefaultKey = "keep" };
        var created = Run("Create", properties);
        Assert.Equal(["GetEbsEncryptionByDefault", "EnableEbsEncryptionByDefault"], _ec2.Calls.Select(c => c.Action));
        Run("Delete", properties, Physical(created));
        Assert.Equal(["DisableEbsEncryptionByDefault"], _ec2.Mutations);
    }

    /// <summary>
    /// CloudFormation updates the role in the update phase and deletes a removed control's custom resource in the
    /// cleanup phase: the delete runs with the role the template gives without the control, and must restore.
    /// </summary>
    [Fact]
    public void Removing_a_control_from_the_declaration_restores_it_with_the_role_the_template_then_gives()
    {
        var before = new AccountControlsProps { NamePrefix = "golden", ImageBlockPublicAccess = true, EbsEncryptionByDefault = true, AllowedImagesMode = "audit-mode" };
        _ec2.Permitted = RoleActions(before);
        var image = Run("Create", ImageBlock);
        var allowed = Run("Create", AllowedAudit);
        Assert.Equal(("block-new-sharing", "audit-mode"), (_ec2.ImageBlockPublicAccess, _ec2.AllowedImagesState));

        _ec2.Permitted = RoleActions(before with { ImageBlockPublicAccess = false, AllowedImagesMode = null });
        var imageDeleted = Run("Delete", ImageBlock, Physical(image));
        var allowedDeleted = Run("Delete", AllowedAudit, Physical(allowed));
        Assert.Equal(("SUCCESS", "SUCCESS"), (Status(imageDeleted), Status(allowedDeleted)));
        Assert.Equal(("unblocked", "disabled"), (_ec2.ImageBlockPublicAccess, _ec2.AllowedImagesState));
        Assert.Empty(_ec2.Criteria);
    }

    [Fact]
    public void A_setting_managed_by_a_declarative_policy_fails_without_a_change()
    {
        _ec2.ManagedBy = "declarative-policy";
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("declarative policy", created.GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(_ec2.Mutations);
        Assert.Equal("amiinfra-governance:allowed-images:none", Physical(created));

        Assert.Equal("SUCCESS", Status(Run("Delete", AllowedEnabled, Physical(created))));
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public void A_failure_after_the_record_keeps_it_so_that_the_rollback_restores()
    {
        _ec2.FailingAction = "ReplaceImageCriteriaInAllowedImagesSettings";
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("UnauthorizedOperation", created.GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("audit-mode", _ec2.AllowedImagesState);

        _ec2.FailingAction = null;
        Assert.Equal("SUCCESS", Status(Run("Delete", AllowedEnabled, Physical(created))));
        Assert.Equal("disabled", _ec2.AllowedImagesState);
    }
}
