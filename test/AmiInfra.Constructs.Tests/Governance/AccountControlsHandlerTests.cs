using System.Diagnostics;
using System.Text.Json;
using AmiInfra.Constructs.Governance;

namespace AmiInfra.Constructs.Tests.Governance;

/// <summary>
/// The account-controls function's code, exactly as the templates carry it inline, run with python3 and
/// botocore (as in Lambda's python3.12 runtime) against <see cref="FakeEc2"/>: each custom-resource event
/// (Create, Update, Delete, and the events of CloudFormation's rollbacks) gives the EC2 calls, the state and the
/// CloudFormation response these tests expect, also under faults (denials, an organization's declarative policy,
/// throttling, an endpoint that is slow or never answers, a malformed event).
/// </summary>
public sealed class AccountControlsHandlerTests : IDisposable
{
    private const string CustomKey = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    private const string Policy = "declarative-policy";

    // Runs the handler as Lambda would: the event on stdin, and a context whose remaining time counts down from
    // the given milliseconds (none: the handler's default budget).
    private const string Driver = """
        import json, sys, time
        sys.path.insert(0, sys.argv[1])
        import index
        class Context:
            def __init__(self, milliseconds):
                self.end = time.monotonic() + milliseconds / 1000
            def get_remaining_time_in_millis(self):
                return max(0, int((self.end - time.monotonic()) * 1000))
        index.handler(json.loads(sys.stdin.read()), Context(int(sys.argv[2])) if len(sys.argv) > 2 else None)
        """;

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

    private static readonly object EbsKeep = new { Control = "ebs-encryption-by-default", DefaultKey = "keep" };

    /// <summary>Sends one event to the handler and returns its response; old properties make it an update's (or a rollback's).</summary>
    private JsonElement Run(string requestType, object properties, string? physicalId = null, object? oldProperties = null, int? remainingMilliseconds = null)
    {
        var withToken = JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.Serialize(properties))!;
        withToken["ServiceToken"] = "arn:aws:lambda:us-east-1:123456789012:function:golden-account-controls";
        withToken["ServiceTimeout"] = AccountControls.ServiceTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var @event = new Dictionary<string, object?>
        {
            ["RequestType"] = requestType,
            ["ResponseURL"] = _ec2.ResponseUrl,
            ["StackId"] = "arn:aws:cloudformation:us-east-1:123456789012:stack/golden-region-us-east-1/guid",
            ["RequestId"] = "request-1",
            ["LogicalResourceId"] = "Control",
            ["ResourceType"] = "Custom::AmiInfraControl",
            ["ResourceProperties"] = withToken,
        };
        if (physicalId is not null)
        {
            @event["PhysicalResourceId"] = physicalId;
        }

        if (oldProperties is not null)
        {
            @event["OldResourceProperties"] = oldProperties;
        }

        return Invoke(JsonSerializer.Serialize(@event), remainingMilliseconds) ?? throw new InvalidOperationException("the handler sent no response");
    }

    /// <summary>Runs the handler on <paramref name="event"/> (any JSON); the response it PUT, if any.</summary>
    private JsonElement? Invoke(string @event, int? remainingMilliseconds = null, bool withRegion = true)
    {
        _ec2.Reset();
        List<string> arguments = ["-c", Driver, _folder];
        if (remainingMilliseconds is { } milliseconds)
        {
            arguments.Add(milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var start = new ProcessStartInfo("python3", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (withRegion)
        {
            start.Environment["AWS_REGION"] = "us-east-1";
        }
        else
        {
            start.Environment.Remove("AWS_REGION");
        }

        start.Environment.Remove("AWS_DEFAULT_REGION");
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        start.Environment["AWS_SESSION_TOKEN"] = "token";
        start.Environment["AWS_ENDPOINT_URL_EC2"] = $"http://127.0.0.1:{_ec2.Port}";
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(@event);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the handler was still running after 30 seconds");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed (needs botocore, which moto installs): {stderr.Result}");
        Log = stdout.Result;
        return _ec2.Response;
    }

    /// <summary>What the handler printed (its log in Lambda).</summary>
    private string Log { get; set; } = "";

    private static string Status(JsonElement response) => response.GetProperty("Status").GetString()!;

    private static string Physical(JsonElement response) => response.GetProperty("PhysicalResourceId").GetString()!;

    private static string Reason(JsonElement response) => response.GetProperty("Reason").GetString()!;

    /// <summary>The EC2 actions the function's role may call, read from the role the template renders for <paramref name="props"/>.</summary>
    private static HashSet<string> RoleActions(AccountControlsProps props)
    {
        var role = AccountControls.Render(props, "Controls").Single(r => r.LogicalId == AccountControls.LogicalIds.Role);
        var policy = ((object[])role.Definition.Properties["Policies"]).Cast<Dictionary<string, object>>().Single(p => (string)p["PolicyName"] == "AccountControlsForAmis");
        var statement = (Dictionary<string, object>)((object[])((Dictionary<string, object>)policy["PolicyDocument"])["Statement"]).Single();
        return [.. (string[])statement["Action"]];
    }

    /// <summary>How long after the first EC2 call the response arrived.</summary>
    private TimeSpan AnsweredAfterFirstCall => _ec2.ResponseAt!.Value - _ec2.Calls[0].At;

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

        // Back to disabled: disabled first, then the criteria as they were, so that EC2 never enforces
        // criteria that are not the declared ones, not even for a moment.
        var deleted = Run("Delete", AllowedEnabled, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Equal(["DisableAllowedImagesSettings", "ReplaceImageCriteriaInAllowedImagesSettings"], _ec2.Mutations);
        Assert.Equal("disabled", _ec2.AllowedImagesState);
        Assert.Empty(_ec2.Criteria);
    }

    [Fact]
    public void An_update_to_the_same_settings_changes_nothing_and_keeps_the_record()
    {
        var created = Run("Create", AllowedEnabled);
        var updated = Run("Update", AllowedEnabled, Physical(created), AllowedEnabled);
        Assert.Equal("SUCCESS", Status(updated));
        Assert.Equal(Physical(created), Physical(updated));
        Assert.Empty(_ec2.Mutations);
        Assert.Equal(["GetAllowedImagesSettings"], _ec2.Calls.Select(c => c.Action));
    }

    [Fact]
    public void Allowed_images_already_set_by_the_account_are_restored_as_they_were()
    {
        _ec2.AllowedImagesState = "audit-mode";
        _ec2.Criteria = [new(["amazon"], ["Windows_Server-*"], "90")];
        var created = Run("Create", AllowedEnabled);
        Assert.Equal(["ReplaceImageCriteriaInAllowedImagesSettings", "EnableAllowedImagesSettings"], _ec2.Mutations);

        // Back to audit-mode before the account's criteria return: they were never enforced, and are not now.
        Run("Delete", AllowedEnabled, Physical(created));
        Assert.Equal(["EnableAllowedImagesSettings", "ReplaceImageCriteriaInAllowedImagesSettings"], _ec2.Mutations);
        Assert.Equal("audit-mode", _ec2.Calls.First(c => c.Action == "EnableAllowedImagesSettings").Parameters["AllowedImagesSettingsState"]);
        Assert.Equal("audit-mode", _ec2.AllowedImagesState);
        var criterion = Assert.Single(_ec2.Criteria);
        Assert.Equal(["amazon"], criterion.Providers);
        Assert.Equal(["Windows_Server-*"], criterion.Names);
        Assert.Equal(("90", (string?)null), (criterion.Created, criterion.Deprecated));
    }

    [Fact]
    public void Marketplace_product_codes_of_the_account_s_criteria_are_recorded_and_restored()
    {
        _ec2.AllowedImagesState = "enabled";
        _ec2.Criteria = [new(["aws-marketplace"], []) { MarketplaceCodes = ["abcdefghijklmnopqrstuvwxy", "prodview1"] }, new(["amazon"], ["al2023-ami-*"])];
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("SUCCESS", Status(created));
        Assert.DoesNotContain(_ec2.Criteria, c => c.MarketplaceCodes.Count > 0);

        Run("Delete", AllowedEnabled, Physical(created));
        var replaced = _ec2.Calls.Single(c => c.Action == "ReplaceImageCriteriaInAllowedImagesSettings").Parameters;
        Assert.Equal("abcdefghijklmnopqrstuvwxy", replaced["ImageCriterion.1.MarketplaceProductCode.1"]);
        Assert.Equal("prodview1", replaced["ImageCriterion.1.MarketplaceProductCode.2"]);
        Assert.Equal("enabled", _ec2.AllowedImagesState);
        Assert.Equal(["abcdefghijklmnopqrstuvwxy", "prodview1"], _ec2.Criteria[0].MarketplaceCodes);
        Assert.Equal(["amazon"], _ec2.Criteria[1].Providers);
        Assert.Equal(["al2023-ami-*"], _ec2.Criteria[1].Names);
    }

    [Fact]
    public void Image_block_public_access_is_turned_on_and_off_again_only_if_it_was_off()
    {
        var created = Run("Create", ImageBlock);
        Assert.Equal(["EnableImageBlockPublicAccess"], _ec2.Mutations);
        Run("Delete", ImageBlock, Physical(created));
        Assert.Equal(["DisableImageBlockPublicAccess"], _ec2.Mutations);
        Assert.Equal("unblocked", _ec2.ImageBlockPublicAccess);

        _ec2.ImageBlockPublicAccess = "block-new-sharing";
        var already = Run("Create", ImageBlock);
        Assert.Empty(_ec2.Mutations);
        Run("Delete", ImageBlock, Physical(already));
        Assert.Empty(_ec2.Mutations);
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
    }

    [Fact]
    public void A_delete_right_after_the_create_turns_image_block_public_access_off_though_ec2_does_not_show_it_on_yet()
    {
        _ec2.ImageBlockLag = 10;
        var created = Run("Create", ImageBlock);
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);

        var deleted = Run("Delete", ImageBlock, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Equal(["DisableImageBlockPublicAccess"], _ec2.Mutations);
        Assert.Equal("unblocked", _ec2.ImageBlockPublicAccess);
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
        var created = Run("Create", EbsKeep);
        Assert.Equal(["GetEbsEncryptionByDefault", "EnableEbsEncryptionByDefault"], _ec2.Calls.Select(c => c.Action));
        Run("Delete", EbsKeep, Physical(created));
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
    public void A_failure_after_the_record_keeps_it_so_that_the_rollback_restores()
    {
        _ec2.Denied.Add("ReplaceImageCriteriaInAllowedImagesSettings");
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("UnauthorizedOperation", Reason(created), StringComparison.Ordinal);
        Assert.Equal("audit-mode", _ec2.AllowedImagesState);

        // CloudFormation's rollback of a failed create: Delete, with the physical id the create returned.
        _ec2.Denied.Clear();
        Assert.Equal("SUCCESS", Status(Run("Delete", AllowedEnabled, Physical(created))));
        Assert.Equal("disabled", _ec2.AllowedImagesState);
    }

    [Fact]
    public void A_failed_update_is_rolled_back_by_an_update_with_the_previous_properties_and_the_record_stays()
    {
        var created = Run("Create", AllowedAudit);
        _ec2.Denied.Add("EnableAllowedImagesSettings");
        var updated = Run("Update", AllowedEnabled, Physical(created), AllowedAudit);
        Assert.Equal("FAILED", Status(updated));
        Assert.Contains("EnableAllowedImagesSettings was denied", Reason(updated), StringComparison.Ordinal);
        Assert.Contains("declared enabled", Reason(updated), StringComparison.Ordinal);
        Assert.Contains("effective audit-mode", Reason(updated), StringComparison.Ordinal);

        var rolledBack = Run("Update", AllowedAudit, Physical(created), AllowedEnabled);
        Assert.Equal(("SUCCESS", Physical(created)), (Status(rolledBack), Physical(rolledBack)));
        Assert.Equal(["ReplaceImageCriteriaInAllowedImagesSettings"], _ec2.Mutations);
        Assert.Equal(["123456789012"], Assert.Single(_ec2.Criteria).Providers);

        _ec2.Denied.Clear();
        Run("Delete", AllowedAudit, Physical(created));
        Assert.Equal(("disabled", 0), (_ec2.AllowedImagesState, _ec2.Criteria.Count));
    }

    [Fact]
    public void A_setting_the_organization_s_declarative_policy_already_gives_as_declared_succeeds_and_is_left_to_it_on_delete()
    {
        _ec2.ManagedBy = Policy;
        _ec2.ImageBlockPublicAccess = "block-new-sharing";
        var created = Run("Create", ImageBlock);
        Assert.Equal("SUCCESS", Status(created));
        Assert.Equal("amiinfra-governance:image-block-public-access:organization", Physical(created));
        Assert.Contains("declarative policy", Reason(created), StringComparison.Ordinal);
        Assert.Empty(_ec2.Mutations);

        var deleted = Run("Delete", ImageBlock, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Contains("nothing to restore", Reason(deleted), StringComparison.Ordinal);
        Assert.Empty(_ec2.Calls);
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
    }

    [Fact]
    public void A_setting_the_organization_s_declarative_policy_gives_otherwise_fails_naming_it_and_both_values()
    {
        _ec2.ManagedBy = Policy;
        _ec2.AllowedImagesState = "enabled";
        _ec2.Criteria = [new(["amazon"], [])];
        var created = Run("Create", AllowedEnabled);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("managed by the organization (a declarative policy", Reason(created), StringComparison.Ordinal);
        Assert.Contains("declared enabled with criteria [{\"Names\":[],\"Providers\":[\"123456789012\"]},{\"MaxDaysSinceCreated\":\"365\"", Reason(created), StringComparison.Ordinal);
        Assert.Contains("effective enabled with criteria [{\"Names\":[],\"Providers\":[\"amazon\"]}]", Reason(created), StringComparison.Ordinal);
        Assert.Empty(_ec2.Mutations);

        // The rollback's Delete, with the physical id the failed create returned, touches nothing.
        Assert.Equal("SUCCESS", Status(Run("Delete", AllowedEnabled, Physical(created))));
        Assert.Empty(_ec2.Calls);
    }

    [Fact]
    public void A_control_the_organization_takes_over_later_is_not_fought_on_update_nor_restored_on_delete()
    {
        var created = Run("Create", ImageBlock);
        _ec2.ManagedBy = Policy;

        var updated = Run("Update", ImageBlock, Physical(created), ImageBlock);
        Assert.Equal(("SUCCESS", Physical(created)), (Status(updated), Physical(updated)));
        Assert.Empty(_ec2.Mutations);

        var deleted = Run("Delete", ImageBlock, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Contains("not restored to unblocked: the organization (a declarative policy) manages it now", Reason(deleted), StringComparison.Ordinal);
        Assert.Equal(0, _ec2.Attempts("DisableImageBlockPublicAccess"));
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
    }

    [Fact]
    public void An_update_into_a_conflict_with_the_organization_fails_and_its_rollback_succeeds()
    {
        var created = Run("Create", AllowedAudit);
        _ec2.ManagedBy = Policy;

        var updated = Run("Update", AllowedEnabled, Physical(created), AllowedAudit);
        Assert.Equal("FAILED", Status(updated));
        Assert.Contains("declared enabled", Reason(updated), StringComparison.Ordinal);
        Assert.Contains("effective audit-mode", Reason(updated), StringComparison.Ordinal);

        var rolledBack = Run("Update", AllowedAudit, Physical(created), AllowedEnabled);
        Assert.Equal("SUCCESS", Status(rolledBack));
        Assert.Empty(_ec2.Mutations);

        // When the previous declaration conflicts as well, failing would fail the rollback alike and leave the
        // stack in UPDATE_ROLLBACK_FAILED: the update succeeds and says why.
        _ec2.AllowedImagesState = "enabled";
        _ec2.Criteria = [new(["amazon"], [])];
        var both = Run("Update", AllowedEnabled, Physical(created), AllowedAudit);
        Assert.Equal("SUCCESS", Status(both));
        Assert.Contains("the previous declaration conflicts with it as well", Reason(both), StringComparison.Ordinal);
        Assert.Empty(_ec2.Mutations);
    }

    [Fact]
    public void A_restore_that_a_service_control_policy_denies_lets_the_delete_succeed_at_once_saying_what_stayed()
    {
        var created = Run("Create", EbsKeep);
        _ec2.Denied.Add("DisableEbsEncryptionByDefault");

        var deleted = Run("Delete", EbsKeep, Physical(created));
        Assert.Equal("SUCCESS", Status(deleted));
        Assert.Contains("not restored to encryption by default off: DisableEbsEncryptionByDefault was denied (UnauthorizedOperation", Reason(deleted), StringComparison.Ordinal);
        Assert.Contains("explicit deny in a service control policy", Reason(deleted), StringComparison.Ordinal);
        Assert.Equal(1, _ec2.Attempts("DisableEbsEncryptionByDefault"));
        Assert.True(_ec2.EbsEncryptionByDefault);
    }

    [Fact]
    public void A_service_control_policy_that_denies_setting_a_control_fails_the_create_only_where_the_account_differs()
    {
        _ec2.Denied.Add("EnableImageBlockPublicAccess");
        _ec2.ImageBlockPublicAccess = "block-new-sharing";
        Assert.Equal("SUCCESS", Status(Run("Create", ImageBlock)));
        Assert.Empty(_ec2.Mutations);

        _ec2.ImageBlockPublicAccess = "unblocked";
        var created = Run("Create", ImageBlock);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("EnableImageBlockPublicAccess was denied", Reason(created), StringComparison.Ordinal);
        Assert.Contains("declared block-new-sharing, effective unblocked", Reason(created), StringComparison.Ordinal);
        Assert.Equal(1, _ec2.Attempts("EnableImageBlockPublicAccess"));
    }

    [Fact]
    public void Denials_right_after_the_role_is_created_are_retried_until_iam_has_caught_up()
    {
        _ec2.Faults.Enqueue(FakeFault.NotYetAuthorized);
        _ec2.Faults.Enqueue(FakeFault.NotYetAuthorized);
        var created = Run("Create", ImageBlock);
        Assert.Equal("SUCCESS", Status(created));
        Assert.Equal(["UnauthorizedOperation", "UnauthorizedOperation", "OK", "OK"], _ec2.Calls.Select(c => c.Answer));
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
    }

    [Fact]
    public void Throttling_and_unavailability_are_retried_with_backoff()
    {
        _ec2.Faults.Enqueue(FakeFault.Throttled);
        _ec2.Faults.Enqueue(FakeFault.Unavailable);
        _ec2.Faults.Enqueue(FakeFault.Throttled);
        var created = Run("Create", AllowedAudit);
        Assert.Equal("SUCCESS", Status(created));
        Assert.Equal(["RequestLimitExceeded", "HTTP503", "RequestLimitExceeded", "OK"], _ec2.Calls.Take(4).Select(c => c.Answer));
        Assert.Equal("audit-mode", _ec2.AllowedImagesState);
    }

    [Fact]
    public void Throttling_that_does_not_end_fails_the_resource_before_the_function_times_out()
    {
        for (var i = 0; i < 200; i++)
        {
            _ec2.Faults.Enqueue(FakeFault.Throttled);
        }

        var created = Run("Create", ImageBlock, remainingMilliseconds: 3000);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("RequestLimitExceeded", Reason(created), StringComparison.Ordinal);
        Assert.True(_ec2.Calls.Count > 2, $"{_ec2.Calls.Count} calls");
        Assert.True(AnsweredAfterFirstCall < TimeSpan.FromSeconds(3), $"answered after {AnsweredAfterFirstCall}");
    }

    [Fact]
    public void A_call_that_ec2_is_slow_to_answer_is_given_up_and_retried_in_time()
    {
        _ec2.FaultDelay = TimeSpan.FromSeconds(5);
        _ec2.Faults.Enqueue(FakeFault.Slow);
        var created = Run("Create", ImageBlock, remainingMilliseconds: 4000);
        Assert.Equal("SUCCESS", Status(created));
        Assert.Equal(2, _ec2.Attempts("GetImageBlockPublicAccessState"));
        Assert.Equal("block-new-sharing", _ec2.ImageBlockPublicAccess);
        Assert.True(AnsweredAfterFirstCall < TimeSpan.FromSeconds(4), $"answered after {AnsweredAfterFirstCall}");
    }

    [Fact]
    public void An_endpoint_that_never_answers_fails_the_resource_before_the_function_times_out()
    {
        _ec2.AlwaysDelay = TimeSpan.FromSeconds(60);
        var created = Run("Create", ImageBlock, remainingMilliseconds: 2500);
        Assert.Equal("FAILED", Status(created));
        Assert.Contains("EC2 gave no answer", Reason(created), StringComparison.Ordinal);
        Assert.True(AnsweredAfterFirstCall < TimeSpan.FromSeconds(2.5), $"answered after {AnsweredAfterFirstCall}");
    }

    [Fact]
    public void A_malformed_event_still_gets_an_answer()
    {
        var missing = Invoke(JsonSerializer.Serialize(new { RequestType = "Create", ResponseURL = _ec2.ResponseUrl, ResourceProperties = new { Control = "allowed-images" } }));
        Assert.NotNull(missing);
        Assert.Equal("FAILED", Status(missing.Value));
        Assert.Contains("ResourceProperties.Mode is missing", Reason(missing.Value), StringComparison.Ordinal);
        Assert.Equal("amiinfra-governance:allowed-images:none", Physical(missing.Value));
        Assert.Empty(_ec2.Calls);

        var unknown = Invoke(JsonSerializer.Serialize(new { RequestType = "Replace", ResponseURL = _ec2.ResponseUrl, StackId = "stack", RequestId = "1", LogicalResourceId = "Control", ResourceProperties = ImageBlock }));
        Assert.NotNull(unknown);
        Assert.Equal("FAILED", Status(unknown.Value));
        Assert.Contains("RequestType 'Replace' is none of Create, Update, Delete", Reason(unknown.Value), StringComparison.Ordinal);
        Assert.Empty(_ec2.Calls);

        // Without a response URL there is no one to answer: the function logs it and ends normally.
        Assert.Null(Invoke("[1, 2]"));
        Assert.Contains("no ResponseURL", Log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_that_cannot_be_built_fails_the_resource_rather_than_leaving_it_waiting()
    {
        var created = Invoke(JsonSerializer.Serialize(new { RequestType = "Create", ResponseURL = _ec2.ResponseUrl, StackId = "stack", RequestId = "1", LogicalResourceId = "Control", ResourceProperties = ImageBlock }), withRegion: false);
        Assert.NotNull(created);
        Assert.Equal("FAILED", Status(created.Value));
        Assert.Contains("AWS_REGION is not set", Reason(created.Value), StringComparison.Ordinal);
    }
}
