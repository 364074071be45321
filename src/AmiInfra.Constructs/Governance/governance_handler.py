# AmiInfra account controls for AMIs: a CloudFormation custom resource handler (inline, python3.12).
# Create records the account's setting, then sets the declared one; Update sets the declared one again
# (idempotent) and keeps the record; Delete restores the recorded setting. The record travels in the
# PhysicalResourceId, which CloudFormation hands back on Update and Delete: nothing is stored elsewhere.
# EC2 is called through its Query API, signed with SigV4 by botocore, so that the operations do not depend
# on the version of boto3 the Lambda runtime bundles (Allowed AMIs is newer than some of them).
#
# CloudFormation learns the outcome only from the response URL, and waits for it until the resource's
# ServiceTimeout: the handler answers every event whatever happens (a malformed event, a client that cannot be
# built, EC2 denying, throttling or not answering), before the function's timeout and with time kept to send it
# (https://repost.aws/knowledge-center/best-practices-custom-cf-lambda).
#
# A control an organization owns is respected, not fought. Where a declarative policy manages a control, its
# Get* answer says managedBy "declarative-policy" and the account's Enable*/Disable*/Replace* calls fail
# (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetImageBlockPublicAccessState.html,
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html,
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html):
# a setting the policy already gives as declared succeeds with nothing recorded, one it gives otherwise fails
# naming the policy and both values, and Delete leaves what the organization owns. A service control policy
# shows only as a denied call: Delete then succeeds and says what it could not restore and why.
import base64, json, os, random, time, urllib.error, urllib.parse, urllib.request
import xml.etree.ElementTree as ET
from http.client import HTTPException

PREFIX = "amiinfra-governance"
MAX_ID = 1024  # CloudFormation: a custom resource's PhysicalResourceId is at most 1 KB
NOTHING, ORGANIZATION = "none", "organization"  # physical ids holding no record: nothing set, or owned by the organization
MANAGED_BY_POLICY = "declarative-policy"

# Time. The budget is the Lambda context's remaining time
# (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html), or DEFAULT_SECONDS without a context
# (tests); a reserve at its end is kept for the response. One EC2 call waits at most CALL_SECONDS, far below
# the function's timeout, and at most a quarter of the budget, so that a call that hangs leaves time to retry.
DEFAULT_SECONDS = 60.0
RESPONSE_RESERVE_SECONDS = 10.0
CALL_SECONDS = 20.0
# IAM is eventually consistent: right after CloudFormation creates the role, the function's first calls may be
# denied (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
# A denial is retried until a first call of this invocation passes (the role's permissions arrive together:
# after one passed, a denial is a real one, from an SCP or a missing permission), and for at most this long.
# Delete waits little: its role is never new (this resource's Create used it), and a real denial must not hold it up.
IAM_SECONDS = {"Create": 60.0, "Update": 60.0, "Delete": 5.0}
# EC2 throttles with RequestLimitExceeded (HTTP 503) and asks for retries with exponential backoff
# (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html); server errors are retried alike.
RETRIED = {"RequestLimitExceeded", "Throttling", "ThrottlingException", "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "NoAnswer"}
# What IAM, an SCP or a permissions boundary answers (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
DENIED = {"UnauthorizedOperation", "AccessDenied", "AccessDeniedException"}


class Ec2Error(Exception):
    def __init__(self, action, code, message, status=None):
        super().__init__(f"{action}: {code}: {message}")
        self.action, self.code, self.message, self.status = action, code, message, status

    @property
    def denied(self):
        return self.code in DENIED or "declarative polic" in self.message.lower()

    @property
    def retried(self):
        return self.code in RETRIED or (self.status or 0) >= 500


class Budget:
    """The time this invocation may spend on EC2, from the Lambda context's remaining time."""

    def __init__(self, context, request_type):
        now = time.monotonic()
        try:
            remaining = float(context.get_remaining_time_in_millis()) / 1000.0
        except Exception:  # noqa: BLE001 - no context (tests): the default budget
            remaining = DEFAULT_SECONDS
        self.deadline = now + remaining - min(RESPONSE_RESERVE_SECONDS, remaining / 4)
        self.call_seconds = max(0.05, min(CALL_SECONDS, (self.deadline - now) / 4))
        self.iam_until = min(self.deadline, now + IAM_SECONDS.get(request_type, 5.0))

    def left(self):
        return self.deadline - time.monotonic()

    def wait(self, seconds, until):
        """Sleeps when the sleep ends before `until` with time for a call; False (no sleep) otherwise."""
        if time.monotonic() + seconds + 0.05 >= min(until, self.deadline):
            return False
        time.sleep(seconds)
        return True


class Ec2:
    """EC2's Query API (version 2016-11-15) in this Lambda's region, with the function's credentials."""

    def __init__(self, budget):
        import botocore.session
        region = os.environ.get("AWS_REGION")
        if not region:
            raise RuntimeError("AWS_REGION is not set: the function cannot tell which region's EC2 to call")
        session = botocore.session.get_session()
        self.region = region
        self.endpoint = session.create_client("ec2", region_name=region).meta.endpoint_url
        self.credentials = session.get_credentials()
        if self.credentials is None:
            raise RuntimeError("the function has no AWS credentials")
        self.budget = budget
        self.answered = False  # a call of this invocation passed: the role's permissions are in effect
        self.changes = []  # the mutating actions that succeeded, in order

    def call(self, action, params=None):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        body = urllib.parse.urlencode({"Action": action, "Version": "2016-11-15", **(params or {})})
        attempt = 0
        while True:
            timeout = min(self.budget.call_seconds, self.budget.left())
            if timeout <= 0:
                raise Ec2Error(action, "NoAnswer", "no time left before the function's timeout to call EC2")
            request = AWSRequest(method="POST", url=self.endpoint, data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV4Auth(self.credentials.get_frozen_credentials(), "ec2", self.region).add_auth(request)
            prepared = request.prepare()
            try:
                with urllib.request.urlopen(urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST"), timeout=timeout) as answer:
                    document = strip(ET.fromstring(answer.read()))
                self.answered = True
                if not action.startswith("Get"):
                    self.changes.append(action)
                return document
            except urllib.error.HTTPError as e:
                error = http_error(action, e)
            except (OSError, HTTPException, ET.ParseError) as e:  # refused, reset, timed out, cut short
                error = Ec2Error(action, "NoAnswer", f"EC2 gave no answer within {timeout:.1f} s ({type(e).__name__}: {e})")
            if error.denied and not self.answered:
                until = self.budget.iam_until
            elif error.retried:
                until = self.budget.deadline
            else:
                raise error
            if not self.budget.wait(min(8.0, 0.25 * 2 ** attempt) * random.uniform(0.5, 1.0), until):
                raise error
            attempt += 1


def http_error(action, e):
    try:
        payload = e.read() or b""
    except Exception:  # noqa: BLE001 - a body cut short is no body
        payload = b""
    try:
        document = strip(ET.fromstring(payload))
        code, message = text(document, "Code"), text(document, "Message")
    except ET.ParseError:  # a load balancer's page, not EC2's XML
        code = message = None
    return Ec2Error(action, code or f"HTTP{e.code}", message or payload[:200].decode("utf-8", "replace") or str(e.reason), e.code)


def strip(element):
    for node in element.iter():
        node.tag = node.tag.split("}", 1)[-1]
    return element


def text(element, name):
    found = element.find(f".//{name}")
    return None if found is None else (found.text or "")


def items(element, name):
    found = element.find(f".//{name}")
    return [] if found is None else [i.text or "" for i in found.findall("item")]


# --- block public access for AMIs ---------------------------------------------------------------

def image_bpa_read(ec2, needs):
    answer = ec2.call("GetImageBlockPublicAccessState")
    return {"state": text(answer, "imageBlockPublicAccessState") or "unblocked", "managedBy": text(answer, "managedBy") or "account"}


def image_bpa_declared(props):
    return {"state": props["State"]}


def image_bpa_meets(wanted, current):
    return wanted["state"] == current["state"]


def image_bpa_apply(ec2, props, current):
    if current["state"] != props["State"]:
        ec2.call("EnableImageBlockPublicAccess", {"ImageBlockPublicAccessState": props["State"]})


def image_bpa_restore(ec2, record, current):
    # EnableImageBlockPublicAccess takes up to 10 minutes to show in GetImageBlockPublicAccessState, which says
    # "unblocked" meanwhile (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageBlockPublicAccess.html):
    # a delete right after the create must disable all the same, so the record alone decides.
    if record["state"] == "unblocked":
        ec2.call("DisableImageBlockPublicAccess")


def image_bpa_describe(setting):
    return setting["state"]


# --- EBS encryption by default --------------------------------------------------------------------

def is_aws_managed(key):
    return key is None or key == "" or key.endswith("alias/aws/ebs")


def same_key(a, b):
    return (is_aws_managed(a) and is_aws_managed(b)) or a == b


def ebs_read(ec2, needs):
    # Declarative policies have no attribute for EBS encryption by default, and its Get answers carry no managedBy
    # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsEncryptionByDefault.html): the account manages it.
    record = {"enabled": (text(ec2.call("GetEbsEncryptionByDefault"), "ebsEncryptionByDefault") or "false") == "true", "managedBy": "account"}
    if needs.get("DefaultKey", "keep") != "keep" or "key" in needs:
        record["key"] = text(ec2.call("GetEbsDefaultKmsKeyId"), "kmsKeyId")
    return record


def ebs_declared(props):
    wanted = props.get("DefaultKey", "keep")
    return {"enabled": True} if wanted == "keep" else {"enabled": True, "key": None if wanted == "aws-managed" else wanted}


def ebs_meets(wanted, current):
    return current["enabled"] and ("key" not in wanted or same_key(wanted["key"], current.get("key")))


def ebs_apply(ec2, props, current):
    if not current["enabled"]:
        ec2.call("EnableEbsEncryptionByDefault")
    wanted = props.get("DefaultKey", "keep")
    if wanted == "aws-managed" and not is_aws_managed(current.get("key")):
        ec2.call("ResetEbsDefaultKmsKeyId")
    elif wanted not in ("keep", "aws-managed") and current.get("key") != wanted:
        ec2.call("ModifyEbsDefaultKmsKeyId", {"KmsKeyId": wanted})


def ebs_restore(ec2, record, current):
    if "key" in record and not same_key(record["key"], current.get("key")):
        if is_aws_managed(record["key"]):
            ec2.call("ResetEbsDefaultKmsKeyId")
        else:
            ec2.call("ModifyEbsDefaultKmsKeyId", {"KmsKeyId": record["key"]})
    if not record["enabled"] and current["enabled"]:
        ec2.call("DisableEbsEncryptionByDefault")


def ebs_describe(setting):
    described = "encryption by default " + ("on" if setting["enabled"] else "off")
    if "key" in setting:
        described += ", default key " + ("aws/ebs" if is_aws_managed(setting["key"]) else setting["key"])
    return described


# --- Allowed AMIs ---------------------------------------------------------------------------------
# A criterion: Providers, MarketplaceProductCodes, Names, MaxDaysSinceCreated, MaxDaysSinceDeprecated; EC2's names
# for them in GetAllowedImagesSettings (imageProviderSet, marketplaceProductCodeSet, imageNameSet, ...) and in
# ReplaceImageCriteriaInAllowedImagesSettings (ImageCriterion.N.ImageProvider.M, .MarketplaceProductCode.M, ...):
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html,
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterionRequest.html
LISTS = (("Providers", "imageProviderSet", "ImageProvider"), ("MarketplaceProductCodes", "marketplaceProductCodeSet", "MarketplaceProductCode"), ("Names", "imageNameSet", "ImageName"))
DAYS = (("MaxDaysSinceCreated", "maximumDaysSinceCreated", "CreationDateCondition.MaximumDaysSinceCreated"),
        ("MaxDaysSinceDeprecated", "maximumDaysSinceDeprecated", "DeprecationTimeCondition.MaximumDaysSinceDeprecated"))
STRICTNESS = {"disabled": 0, "audit-mode": 1, "enabled": 2}


def allowed_read(ec2, needs):
    answer = ec2.call("GetAllowedImagesSettings")
    criteria = []
    found = answer.find(".//imageCriterionSet")
    for item in ([] if found is None else found.findall("item")):
        criterion = {}
        for key, name, _ in LISTS:
            values = items(item, name)
            if values or key != "MarketplaceProductCodes":  # a record stays small: codes only where there are some
                criterion[key] = values
        for key, name, _ in DAYS:
            value = text(item, name)
            if value:
                criterion[key] = value
        criteria.append(criterion)
    return {"state": text(answer, "state") or "disabled", "criteria": criteria, "managedBy": text(answer, "managedBy") or "account"}


def normalized(criterion):
    """A criterion as allowed_read gives it, so that declared and effective settings read alike."""
    shaped = {}
    for key, _, _ in LISTS:
        values = [str(v) for v in criterion.get(key) or []]
        if values or key != "MarketplaceProductCodes":
            shaped[key] = values
    for key, _, _ in DAYS:
        if criterion.get(key) not in (None, ""):
            shaped[key] = str(criterion[key])
    return shaped


def allowed_declared(props):
    return {"state": props["Mode"], "criteria": [normalized(c) for c in props.get("Criteria") or [] if isinstance(c, dict)]}


def same(criteria_a, criteria_b):
    def key(c):
        return json.dumps([sorted(c.get(k) or []) for k, _, _ in LISTS] + [str(c.get(k) or "") for k, _, _ in DAYS])
    return sorted(map(key, criteria_a)) == sorted(map(key, criteria_b))


def allowed_meets(wanted, current):
    return wanted["state"] == current["state"] and same(wanted["criteria"], current["criteria"])


def criteria_params(criteria):
    params = {}
    for n, criterion in enumerate(criteria, 1):
        for key, _, name in LISTS:
            for m, value in enumerate(criterion.get(key) or [], 1):
                params[f"ImageCriterion.{n}.{name}.{m}"] = value
        for key, _, name in DAYS:
            if criterion.get(key) not in (None, ""):
                params[f"ImageCriterion.{n}.{name}"] = str(criterion[key])
    return params


def allowed_state(ec2, state):
    if state == "disabled":
        ec2.call("DisableAllowedImagesSettings")
    else:
        ec2.call("EnableAllowedImagesSettings", {"AllowedImagesSettingsState": state})


def allowed_set(ec2, current_state, current_criteria, state, criteria):
    # Never judge a launch more strictly than either setting would: a looser state comes before the criteria change
    # (restoring "disabled" disables first), a stricter one after it; from disabled, audit-mode first. So EC2 is
    # never "enabled" with no criteria or with criteria that were never meant to be enforced.
    if STRICTNESS.get(state, 0) < STRICTNESS.get(current_state, 0):
        allowed_state(ec2, state)
        current_state = state
    if current_state == "disabled" and state != "disabled":
        allowed_state(ec2, "audit-mode")
        current_state = "audit-mode"
    if not same(criteria, current_criteria):
        ec2.call("ReplaceImageCriteriaInAllowedImagesSettings", criteria_params(criteria))
    if state != current_state:
        allowed_state(ec2, state)


def allowed_apply(ec2, props, current):
    wanted = allowed_declared(props)
    allowed_set(ec2, current["state"], current["criteria"], wanted["state"], wanted["criteria"])


def allowed_restore(ec2, record, current):
    allowed_set(ec2, current["state"], current["criteria"], record["state"], record.get("criteria") or [])


def allowed_describe(setting):
    return f"{setting['state']} with criteria {json.dumps(setting.get('criteria') or [], separators=(',', ':'), sort_keys=True)}"


CONTROLS = {
    "image-block-public-access": {"requires": ("State",), "read": image_bpa_read, "declared": image_bpa_declared, "meets": image_bpa_meets,
                                  "apply": image_bpa_apply, "restore": image_bpa_restore, "describe": image_bpa_describe},
    "ebs-encryption-by-default": {"requires": (), "read": ebs_read, "declared": ebs_declared, "meets": ebs_meets,
                                  "apply": ebs_apply, "restore": ebs_restore, "describe": ebs_describe},
    "allowed-images": {"requires": ("Mode",), "read": allowed_read, "declared": allowed_declared, "meets": allowed_meets,
                       "apply": allowed_apply, "restore": allowed_restore, "describe": allowed_describe},
}


def encode(control, record):
    record = {k: v for k, v in record.items() if k != "managedBy"}
    data = base64.urlsafe_b64encode(json.dumps(record, separators=(",", ":"), sort_keys=True).encode()).decode()
    return f"{PREFIX}:{control}:{data}"


def decode(physical_id):
    """(kind, control, record): kind is "record", "none", "organization", "unreadable" or "foreign"."""
    parts = (physical_id or "").split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX or parts[1] not in CONTROLS:
        return "foreign", None, None
    if parts[2] in (NOTHING, ORGANIZATION):
        return parts[2], parts[1], None
    try:
        return "record", parts[1], json.loads(base64.urlsafe_b64decode(parts[2].encode()))
    except Exception as e:  # noqa: BLE001
        return "unreadable", parts[1], str(e)


def set_control(event, request, control, props, outcome, ec2):
    """Create and Update: the declared setting, unless the organization owns the control."""
    c = CONTROLS[control]
    for key in c["requires"]:
        if props.get(key) in (None, ""):
            raise ValueError(f"ResourceProperties.{key} is missing")
    current = c["read"](ec2, props)
    declared, effective = c["describe"](c["declared"](props)), c["describe"](current)
    if current.get("managedBy") == MANAGED_BY_POLICY:
        if request == "Create":
            outcome["physical"] = f"{PREFIX}:{control}:{ORGANIZATION}"
        if c["meets"](c["declared"](props), current):
            return "SUCCESS", f"{control} is managed by the organization (a declarative policy), whose effective setting is the declared one ({effective}): nothing changed" + (", nothing recorded to restore" if request == "Create" else "")
        conflict = (f"{control} is managed by the organization (a declarative policy; the account cannot change it): declared {declared}, "
                    f"effective {effective}. Make the declarative policy and the declaration agree, or leave {control} out of the declaration")
        old = event.get("OldResourceProperties")
        if request == "Update" and isinstance(old, dict) and all(old.get(k) not in (None, "") for k in c["requires"]) and not c["meets"](c["declared"](old), current):
            # The previous declaration conflicts too: failing would leave the rollback (which sends the previous
            # properties back) failing alike, and the stack stuck in UPDATE_ROLLBACK_FAILED.
            return "SUCCESS", conflict + " (not failed: the previous declaration conflicts with it as well)"
        return "FAILED", conflict
    if request == "Create":
        recorded = encode(control, current)
        if len(recorded) > MAX_ID:
            raise ValueError(f"the account's current setting ({len(recorded)} bytes) is too large to record for restoring it on delete (at most {MAX_ID}); simplify it first")
        outcome["physical"] = recorded  # from here on, a failure keeps the record: the rollback's Delete restores it
    try:
        c["apply"](ec2, props, current)
    except Ec2Error as e:
        if e.denied:
            return "FAILED", f"{control}: {e.action} was denied ({e.code}: {e.message}): the account, or its organization (a service control policy), does not let the function change it; declared {declared}, effective {effective}"
        raise
    if kind_of(outcome["physical"]) == ORGANIZATION:
        return "SUCCESS", f"{control}: set ({declared}); the organization owned it when this resource was created, so nothing is recorded to restore on delete"
    return "SUCCESS", f"{control}: set ({declared})"


def kind_of(physical):
    return decode(physical)[0]


def delete(physical, budget):
    """Delete: restores the record. Fails only when EC2 cannot be asked (so that a retry can restore); never because
    the organization owns the control or denies the restore: then it succeeds and says what stayed and why."""
    kind, control, record = decode(physical)
    if kind == "foreign":
        return "SUCCESS", "nothing recorded by AmiInfra in this physical id: nothing to restore"
    if kind == NOTHING:
        return "SUCCESS", f"{control}: nothing was recorded (the create did not get as far as changing it): nothing to restore"
    if kind == ORGANIZATION:
        return "SUCCESS", f"{control}: the organization (a declarative policy) managed it when this resource was created: nothing recorded, nothing to restore"
    c = CONTROLS[control]
    try:
        wanted = c["describe"](record)
    except Exception as e:  # noqa: BLE001 - unreadable, or not a record of this control
        return "SUCCESS", f"{control}: the record in the physical id cannot be read ({record if kind == 'unreadable' else repr(e)}): nothing restored"
    ec2 = Ec2(budget)
    try:
        current = c["read"](ec2, record)
    except Ec2Error as e:
        if e.denied:
            return "SUCCESS", f"{control}: not restored to {wanted}: reading it was denied ({e}); it stays as it is"
        raise
    if current.get("managedBy") == MANAGED_BY_POLICY:
        return "SUCCESS", f"{control}: not restored to {wanted}: the organization (a declarative policy) manages it now, and its setting ({c['describe'](current)}) stays"
    try:
        c["restore"](ec2, record, current)
    except Ec2Error as e:
        if not e.denied:
            raise
        done = f"; done before the denial: {', '.join(ec2.changes)}" if ec2.changes else ""
        return "SUCCESS", (f"{control}: not restored to {wanted}: {e.action} was denied ({e.code}: {e.message}){done}; "
                           f"otherwise the setting stays as it was ({c['describe'](current)}), for the account to change by hand if it wants")
    return "SUCCESS", f"{control}: restored ({wanted})" if ec2.changes else f"{control}: already as recorded ({wanted})"


def run(event, context):
    """Returns (status, physical id, reason). Never raises: CloudFormation must always get an answer."""
    outcome = {"physical": None}
    control = None
    try:
        if not isinstance(event, dict):
            raise ValueError(f"the event is a {type(event).__name__}, not an object")
        request = event.get("RequestType")
        props = event.get("ResourceProperties") if isinstance(event.get("ResourceProperties"), dict) else {}
        control = props.get("Control")
        outcome["physical"] = event.get("PhysicalResourceId") or f"{PREFIX}:{str(control)[:64]}:{NOTHING}"
        budget = Budget(context, request)
        if request == "Delete":
            status, reason = delete(outcome["physical"], budget)
            return status, outcome["physical"], reason
        if request not in ("Create", "Update"):
            raise ValueError(f"RequestType {request!r} is none of Create, Update, Delete")
        if control not in CONTROLS:
            raise ValueError(f"Control {control!r} is none of {', '.join(CONTROLS)}")
        status, reason = set_control(event, request, control, props, outcome, Ec2(budget))
        return status, outcome["physical"], reason
    except Exception as e:  # noqa: BLE001 - every failure is reported to CloudFormation
        reason = str(e) if isinstance(e, (Ec2Error, ValueError, RuntimeError)) else f"{type(e).__name__}: {e}"
        return "FAILED", outcome["physical"] or f"{PREFIX}:{str(control)[:64]}:{NOTHING}", f"{control}: {reason}"


def send(event, status, physical, reason, context):
    """PUTs the response (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html)
    with what the event has, retrying while the function has time."""
    if not isinstance(event, dict) or not isinstance(event.get("ResponseURL"), str):
        print(json.dumps({"Error": "the event has no ResponseURL: nothing to answer"}))
        return
    body = json.dumps({"Status": status, "Reason": reason[:1500], "PhysicalResourceId": physical[:MAX_ID], "StackId": event.get("StackId"),
                       "RequestId": event.get("RequestId"), "LogicalResourceId": event.get("LogicalResourceId"), "Data": {}}).encode()
    try:
        end = time.monotonic() + float(context.get_remaining_time_in_millis()) / 1000.0 - 0.5
    except Exception:  # noqa: BLE001 - no context (tests)
        end = time.monotonic() + 30.0
    for attempt in range(4):
        timeout = min(10.0, end - time.monotonic())
        if timeout <= 0:
            break
        try:
            request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))})
            with urllib.request.urlopen(request, timeout=timeout):
                return
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"Error": f"sending the response failed: {e}"}))
            if time.monotonic() + 0.5 * 2 ** attempt >= end:
                break
            time.sleep(0.5 * 2 ** attempt)


def handler(event, context):
    try:
        status, physical, reason = run(event, context)
    except BaseException as e:  # noqa: BLE001 - run never raises; this is the net under it
        status, physical, reason = "FAILED", f"{PREFIX}:unknown:{NOTHING}", f"{type(e).__name__}: {e}"
    plain = event if isinstance(event, dict) else {}
    props = plain.get("ResourceProperties") if isinstance(plain.get("ResourceProperties"), dict) else {}
    print(json.dumps({"RequestType": plain.get("RequestType"), "Control": props.get("Control"), "Status": status, "Reason": reason}, default=str))
    send(event, status, physical, reason, context)
