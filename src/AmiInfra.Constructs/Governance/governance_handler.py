# AmiInfra account controls for AMIs: a CloudFormation custom resource handler (inline, python3.12).
# Create records the account's setting, then sets the declared one; Update sets the declared one again
# (idempotent) and keeps the record; Delete restores the recorded setting. The record travels in the
# PhysicalResourceId, which CloudFormation hands back on Update and Delete: nothing is stored elsewhere.
# EC2 is called through its Query API, signed with SigV4 by botocore, so that the operations do not depend
# on the version of boto3 the Lambda runtime bundles (Allowed AMIs is newer than some of them).
import base64, json, time, urllib.error, urllib.parse, urllib.request
import xml.etree.ElementTree as ET

PREFIX = "amiinfra-governance"
MAX_ID = 1024  # CloudFormation: a custom resource's PhysicalResourceId is at most 1 KB


class Ec2Error(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


class Ec2:
    """EC2's Query API (version 2016-11-15) in this Lambda's region, with the function's credentials."""

    def __init__(self, region):
        import botocore.session
        session = botocore.session.get_session()
        self.region = region
        self.endpoint = session.create_client("ec2", region_name=region).meta.endpoint_url
        self.credentials = session.get_credentials()

    def call(self, action, params=None):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        body = urllib.parse.urlencode({"Action": action, "Version": "2016-11-15", **(params or {})})
        for attempt in range(5):
            request = AWSRequest(method="POST", url=self.endpoint, data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV4Auth(self.credentials.get_frozen_credentials(), "ec2", self.region).add_auth(request)
            prepared = request.prepare()
            try:
                with urllib.request.urlopen(urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST"), timeout=30) as answer:
                    return strip(ET.fromstring(answer.read()))
            except urllib.error.HTTPError as e:
                error = strip(ET.fromstring(e.read() or b"<Response/>"))
                code, message = text(error, "Code") or str(e.code), text(error, "Message") or ""
                if code in ("RequestLimitExceeded", "Throttling", "InternalError", "Unavailable") and attempt < 4:
                    time.sleep(2 ** attempt)
                    continue
                raise Ec2Error(code, message)


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

def image_bpa_read(ec2, props):
    answer = ec2.call("GetImageBlockPublicAccessState")
    return {"state": text(answer, "imageBlockPublicAccessState") or "unblocked", "managedBy": text(answer, "managedBy")}


def image_bpa_apply(ec2, props, current):
    if current["state"] != props["State"]:
        ec2.call("EnableImageBlockPublicAccess", {"ImageBlockPublicAccessState": props["State"]})


def image_bpa_restore(ec2, record):
    if record["state"] == "unblocked" and image_bpa_read(ec2, {})["state"] != "unblocked":
        ec2.call("DisableImageBlockPublicAccess")


# --- EBS encryption by default --------------------------------------------------------------------

def is_aws_managed(key):
    return key is None or key == "" or key.endswith("alias/aws/ebs")


def ebs_read(ec2, props):
    record = {"enabled": (text(ec2.call("GetEbsEncryptionByDefault"), "ebsEncryptionByDefault") or "false") == "true"}
    if props.get("DefaultKey", "keep") != "keep":
        record["key"] = text(ec2.call("GetEbsDefaultKmsKeyId"), "kmsKeyId")
    return record


def ebs_apply(ec2, props, current):
    if not current["enabled"]:
        ec2.call("EnableEbsEncryptionByDefault")
    wanted = props.get("DefaultKey", "keep")
    if wanted == "aws-managed" and not is_aws_managed(current.get("key")):
        ec2.call("ResetEbsDefaultKmsKeyId")
    elif wanted not in ("keep", "aws-managed") and current.get("key") != wanted:
        ec2.call("ModifyEbsDefaultKmsKeyId", {"KmsKeyId": wanted})


def ebs_restore(ec2, record):
    if "key" in record:
        if is_aws_managed(record["key"]):
            ec2.call("ResetEbsDefaultKmsKeyId")
        else:
            ec2.call("ModifyEbsDefaultKmsKeyId", {"KmsKeyId": record["key"]})
    if not record["enabled"]:
        ec2.call("DisableEbsEncryptionByDefault")


# --- Allowed AMIs ---------------------------------------------------------------------------------

def allowed_read(ec2, props):
    answer = ec2.call("GetAllowedImagesSettings")
    criteria = []
    found = answer.find(".//imageCriterionSet")
    for item in ([] if found is None else found.findall("item")):
        criterion = {"Providers": items(item, "imageProviderSet"), "Names": items(item, "imageNameSet")}
        for key, name in (("MaxDaysSinceCreated", "maximumDaysSinceCreated"), ("MaxDaysSinceDeprecated", "maximumDaysSinceDeprecated")):
            value = text(item, name)
            if value:
                criterion[key] = value
        criteria.append(criterion)
    return {"state": text(answer, "state") or "disabled", "criteria": criteria, "managedBy": text(answer, "managedBy")}


def criteria_params(criteria):
    params = {}
    for n, criterion in enumerate(criteria, 1):
        for key, name in (("Providers", "ImageProvider"), ("Names", "ImageName")):
            for m, value in enumerate(criterion.get(key) or [], 1):
                params[f"ImageCriterion.{n}.{name}.{m}"] = value
        if criterion.get("MaxDaysSinceCreated") not in (None, ""):
            params[f"ImageCriterion.{n}.CreationDateCondition.MaximumDaysSinceCreated"] = str(criterion["MaxDaysSinceCreated"])
        if criterion.get("MaxDaysSinceDeprecated") not in (None, ""):
            params[f"ImageCriterion.{n}.DeprecationTimeCondition.MaximumDaysSinceDeprecated"] = str(criterion["MaxDaysSinceDeprecated"])
    return params


def same(criteria_a, criteria_b):
    def key(c):
        return json.dumps([sorted(c.get("Providers") or []), sorted(c.get("Names") or []),
                           str(c.get("MaxDaysSinceCreated") or ""), str(c.get("MaxDaysSinceDeprecated") or "")])
    return sorted(map(key, criteria_a)) == sorted(map(key, criteria_b))


def allowed_set(ec2, current_state, state, criteria, current_criteria):
    # Criteria first, then the state: enabled never applies stale criteria. From disabled, audit-mode first.
    if current_state == "disabled" and state != "disabled":
        ec2.call("EnableAllowedImagesSettings", {"AllowedImagesSettingsState": "audit-mode"})
        current_state = "audit-mode"
    if not same(criteria, current_criteria):
        ec2.call("ReplaceImageCriteriaInAllowedImagesSettings", criteria_params(criteria))
    if state == "disabled" and current_state != "disabled":
        ec2.call("DisableAllowedImagesSettings")
    elif state != "disabled" and state != current_state:
        ec2.call("EnableAllowedImagesSettings", {"AllowedImagesSettingsState": state})


def allowed_apply(ec2, props, current):
    allowed_set(ec2, current["state"], props["Mode"], props.get("Criteria") or [], current["criteria"])


def allowed_restore(ec2, record):
    current = allowed_read(ec2, {})
    allowed_set(ec2, current["state"], record["state"], record["criteria"], current["criteria"])


CONTROLS = {
    "image-block-public-access": (image_bpa_read, image_bpa_apply, image_bpa_restore),
    "ebs-encryption-by-default": (ebs_read, ebs_apply, ebs_restore),
    "allowed-images": (allowed_read, allowed_apply, allowed_restore),
}


def encode(control, record):
    record = {k: v for k, v in record.items() if k != "managedBy"}
    data = base64.urlsafe_b64encode(json.dumps(record, separators=(",", ":"), sort_keys=True).encode()).decode()
    return f"{PREFIX}:{control}:{data}"


def decode(physical_id):
    parts = (physical_id or "").split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX or parts[2] == "none":
        return None
    return json.loads(base64.urlsafe_b64decode(parts[2].encode()))


def run(event, ec2):
    """Returns (status, physical id, reason). Never raises: CloudFormation must always get an answer."""
    props = event.get("ResourceProperties", {})
    control = props.get("Control")
    physical = event.get("PhysicalResourceId") or f"{PREFIX}:{control}:none"
    try:
        read, apply, restore = CONTROLS[control]
        if event["RequestType"] == "Delete":
            record = decode(physical)
            if record is not None:
                restore(ec2, record)
            return "SUCCESS", physical, "restored" if record is not None else "nothing recorded"
        current = read(ec2, props)
        if current.get("managedBy") not in (None, "", "account"):
            raise Ec2Error("ManagedByDeclarativePolicy", f"{control} is managed by a declarative policy of the organization; the account cannot change it")
        if event["RequestType"] == "Create":
            recorded = encode(control, current)
            if len(recorded) > MAX_ID:
                raise Ec2Error("RecordTooLarge", f"the account's current {control} setting ({len(recorded)} bytes) is too large to record for restoring it on delete (at most {MAX_ID}); simplify it first")
            physical = recorded
        apply(ec2, props, current)
        return "SUCCESS", physical, "set"
    except Exception as e:  # noqa: BLE001 - every failure is reported to CloudFormation
        return "FAILED", physical, f"{control}: {e}"[:900]


def send(event, status, physical, reason):
    body = json.dumps({"Status": status, "Reason": reason, "PhysicalResourceId": physical, "StackId": event["StackId"],
                       "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"], "Data": {}}).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30):
                return
        except Exception:  # noqa: BLE001
            time.sleep(2 ** attempt)


def handler(event, context):
    import os
    status, physical, reason = run(event, Ec2(os.environ["AWS_REGION"]))
    print(json.dumps({"RequestType": event.get("RequestType"), "Control": event.get("ResourceProperties", {}).get("Control"), "Status": status, "Reason": reason}))
    send(event, status, physical, reason)
