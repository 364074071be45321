# AmiInfra retention marker (inline, python3.12): keeps the retention tags of a factory's AMIs up to date.
# For every image, in every region it is distributed to and every account that owns copies of it, the newest K
# available AMIs of the image carry amiinfra:retain-<step> = true for each retirement step (K per step, from the
# event), and no other AMI of the image carries it; the lifecycle policies exclude the tagged AMIs. Tags are added
# to the AMIs entering a window before they are removed from those leaving it, so a failure never leaves an image
# less protected than before. A failing image, region or account does not stop the others; the invocation fails
# at the end if anything failed, so that EventBridge's retries and the function's error metric see it.
# EC2 and STS are called through their Query APIs, signed with SigV4 by botocore, as the account-controls function
# does: the standard library and the botocore of the Lambda runtime are all it needs.
import json, threading, time, urllib.error, urllib.parse, urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

FACTORY_TAG = "amiinfra:factory"
IMAGE_TAG = "amiinfra:image"
RETENTION_TAGS = {"deprecate": "amiinfra:retain-deprecate", "disable": "amiinfra:retain-disable", "delete": "amiinfra:retain-delete"}
VALUE = "true"
# A copy that failed its release verification (amiinfra:verification = failed) takes no place in a window: consumers are
# never pointed at it, and the verified copy they are on must not be pushed out of the window by failed builds.
VERIFICATION_TAG, FAILED = "amiinfra:verification", "failed"
RETRIED = ("RequestLimitExceeded", "Throttling", "ThrottlingException", "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable")
# Resource ids per CreateTags / DeleteTags call ("Up to 1000 resource IDs. We recommend breaking up this request into
# smaller batches": https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html), and image names per
# DescribeImages filter.
BATCH = 100
_print = threading.Lock()


def log(**entry):
    with _print:
        print(json.dumps(entry, sort_keys=True), flush=True)


class AwsError(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


class Query:
    """One service's Query API in one region, with one set of credentials, signed with SigV4 by botocore."""

    def __init__(self, service, version, region, credentials, endpoint):
        self.service, self.version, self.region, self.credentials, self.endpoint = service, version, region, credentials, endpoint

    def call(self, action, params=None):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        body = urllib.parse.urlencode({"Action": action, "Version": self.version, **(params or {})})
        for attempt in range(5):
            request = AWSRequest(method="POST", url=self.endpoint, data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV4Auth(self.credentials, self.service, self.region).add_auth(request)
            prepared = request.prepare()
            try:
                with urllib.request.urlopen(urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST"), timeout=30) as answer:
                    return strip(ET.fromstring(answer.read()))
            except urllib.error.HTTPError as e:
                raw = e.read() or b"<Response/>"
                try:
                    error = strip(ET.fromstring(raw))
                except ET.ParseError:
                    error = ET.fromstring(b"<Response/>")
                code, message = text(error, "Code") or str(e.code), text(error, "Message") or ""
                if (code in RETRIED or e.code >= 500) and attempt < 4:
                    time.sleep(2 ** attempt)
                    continue
                raise AwsError(code, message)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                if attempt < 4:
                    time.sleep(2 ** attempt)
                    continue
                raise AwsError("Unreachable", f"{self.service} in {self.region}: {e}")


def strip(element):
    for node in element.iter():
        node.tag = node.tag.split("}", 1)[-1]
    return element


def text(element, name):
    found = element.find(f".//{name}")
    return None if found is None else (found.text or "")


class Session:
    """Endpoints and credentials: the function's own, or a target account's through its marker role."""

    def __init__(self, region):
        import botocore.session
        self.botocore = botocore.session.get_session()
        # Regional STS endpoint: "Session tokens from Regional AWS STS endpoints are valid in all AWS Regions. Session
        # tokens from the global STS endpoint are valid only in AWS Regions that are enabled by default."
        # (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html)
        self.botocore.set_config_variable("sts_regional_endpoints", "regional")
        self.region = region
        self.own = self.botocore.get_credentials().get_frozen_credentials()

    def endpoint(self, service, region):
        return self.botocore.create_client(service, region_name=region).meta.endpoint_url

    def ec2(self, region, credentials):
        return Query("ec2", "2016-11-15", region, credentials, self.endpoint("ec2", region))

    def assume(self, role_arn):
        from botocore.credentials import ReadOnlyCredentials
        sts = Query("sts", "2011-06-15", self.region, self.own, self.endpoint("sts", self.region))
        answer = sts.call("AssumeRole", {"RoleArn": role_arn, "RoleSessionName": "amiinfra-retention-marker", "DurationSeconds": "3600"})
        return ReadOnlyCredentials(text(answer, "AccessKeyId"), text(answer, "SecretAccessKey"), text(answer, "SessionToken"))


def describe(ec2, factory, names):
    """
    The account's AMIs of the factory's images named, in this region, deprecated and disabled ones included (DescribeImages:
    "IncludeDeprecated ... If you are the AMI owner, all deprecated AMIs appear in the response regardless"; disabled
    AMIs only with IncludeDisabled: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html).
    Disabled ones take no place in a window, but lose their marks.
    """
    params = {"Owner.1": "self", "IncludeDeprecated": "true", "IncludeDisabled": "true", "MaxResults": "1000",
              "Filter.1.Name": f"tag:{FACTORY_TAG}", "Filter.1.Value.1": factory, "Filter.2.Name": f"tag:{IMAGE_TAG}"}
    for n, name in enumerate(names, 1):
        params[f"Filter.2.Value.{n}"] = name
    images, token = [], None
    while True:
        answer = ec2.call("DescribeImages", {**params, **({"NextToken": token} if token else {})})
        found = answer.find("imagesSet")
        for item in ([] if found is None else found.findall("item")):
            tags = {}
            tag_set = item.find("tagSet")
            for tag in ([] if tag_set is None else tag_set.findall("item")):
                tags[text(tag, "key")] = text(tag, "value") or ""
            images.append({"id": text(item, "imageId"), "state": text(item, "imageState"), "created": text(item, "creationDate") or "", "tags": tags})
        token = text(answer, "nextToken")
        if not token:
            return images


def windows_of(amis, sizes):
    """
    For each step, the ids of the newest K available AMIs (newest first; equal creation dates by id). Deprecated AMIs are
    still available and launch; disabled, pending and failed ones are not (Image.State:
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html). Copies that failed their release
    verification take no place either.
    """
    available = [a for a in amis if a["state"] == "available" and a["tags"].get(VERIFICATION_TAG) != FAILED]
    available.sort(key=lambda a: a["id"])
    available.sort(key=lambda a: a["created"], reverse=True)
    return {step: {a["id"] for a in available[:size]} for step, size in sizes.items()}


def changes_of(amis, sizes):
    """(adds, removes): per step, the AMIs that enter its window and those that carry its tag outside it."""
    windows = windows_of(amis, sizes)
    adds, removes = {}, {}
    for step, key in RETENTION_TAGS.items():
        window = windows.get(step, set())
        adds[step] = sorted(a["id"] for a in amis if a["id"] in window and a["tags"].get(key) != VALUE)
        removes[step] = sorted(a["id"] for a in amis if a["id"] not in window and key in a["tags"])
    return adds, removes


def mark_image(ec2, where, image, amis):
    """Adds, then removes; returns the failures. Removal waits until every add of the image succeeded."""
    adds, removes = changes_of(amis, image["windows"])
    failures = []
    for step, ids in adds.items():
        for batch in [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]:
            params = {"Tag.1.Key": RETENTION_TAGS[step], "Tag.1.Value": VALUE, **{f"ResourceId.{n}": i for n, i in enumerate(batch, 1)}}
            try:
                ec2.call("CreateTags", params)
                for ami in batch:
                    log(change="tagged", key=RETENTION_TAGS[step], ami=ami, **where)
            except AwsError as e:
                failures.append(f"{where['account']} {where['region']} {where['image']}: tagging {', '.join(batch)} with {RETENTION_TAGS[step]}: {e}")
    if failures:
        log(change="none", reason="an AMI entering a window could not be tagged: no tag is removed from this image until it is", **where)
        return failures
    for step, ids in removes.items():
        for batch in [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]:
            params = {"Tag.1.Key": RETENTION_TAGS[step], **{f"ResourceId.{n}": i for n, i in enumerate(batch, 1)}}
            try:
                ec2.call("DeleteTags", params)
                for ami in batch:
                    log(change="untagged", key=RETENTION_TAGS[step], ami=ami, **where)
            except AwsError as e:
                failures.append(f"{where['account']} {where['region']} {where['image']}: untagging {', '.join(batch)} ({RETENTION_TAGS[step]}): {e}")
    return failures


def mark_region(session, credentials, account, region, factory, images):
    """Every image of one account and region; returns the failures."""
    failures = []
    try:
        ec2 = session.ec2(region, credentials)
        amis = []
        names = [i["image"] for i in images]
        for start in range(0, len(names), BATCH):
            amis += describe(ec2, factory, names[start:start + BATCH])
    except Exception as e:  # noqa: BLE001 - reported, and the other regions and accounts go on
        return [f"{account} {region}: listing the AMIs of {', '.join(i['image'] for i in images)}: {e}"]
    for image in images:
        where = {"account": account, "region": region, "image": image["image"]}
        try:
            failures += mark_image(ec2, where, image, [a for a in amis if a["tags"].get(IMAGE_TAG) == image["image"]])
        except Exception as e:  # noqa: BLE001
            failures.append(f"{account} {region} {image['image']}: {e}")
    return failures


def selected(config, image_arn):
    """The images to mark: all of the configuration, or the one an image state change names."""
    images = config["images"]
    if not image_arn:
        return images
    # arn:<partition>:imagebuilder:<region>:<account>:image/<image name>/<version>/<build>
    name = image_arn.split(":image/", 1)[-1].split("/", 1)[0].lower()
    return [i for i in images if i["recipe"].lower() == name]


def run(event, session, function_arn):
    """Marks what the event asks for; returns the failures."""
    config = event["config"]
    images = selected(config, event.get("image"))
    # arn:<partition>:lambda:<region>:<account>:function:<name>: the factory account and its partition.
    partition, own_account = function_arn.split(":")[1], function_arn.split(":")[4]
    factory, role = config["factory"], config.get("targetRole")
    work = {}
    for image in images:
        own = [None] if image.get("self", True) else []
        for account in own + list(image.get("accounts") or []):
            for region in image["regions"]:
                work.setdefault((account, region), []).append(image)
    accounts = {}
    failures = []
    for account in sorted({a for a, _ in work if a is not None}):
        try:
            accounts[account] = session.assume(f"arn:{partition}:iam::{account}:role/{role}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"{account}: assuming {role}: {e}")
    jobs = [(a, r, i) for (a, r), i in sorted(work.items(), key=lambda w: (w[0][0] or "", w[0][1])) if a is None or a in accounts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for result in pool.map(lambda job: mark_region(session, session.own if job[0] is None else accounts[job[0]], job[0] or own_account, job[1], factory, job[2]), jobs):
            failures += result
    return failures


def handler(event, context):
    import os
    failures = run(event, Session(os.environ["AWS_REGION"]), context.invoked_function_arn)
    for failure in failures:
        log(failure=failure)
    if failures:
        raise RuntimeError(f"{len(failures)} retention marking(s) failed; the windows elsewhere are up to date: " + "; ".join(failures)[:2000])
    return {"images": len(selected(event["config"], event.get("image")))}
