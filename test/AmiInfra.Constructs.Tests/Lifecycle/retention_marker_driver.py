# Drives the retention marker's handler against moto_server for RetentionMarkerHandlerTests: reads
# {"moto", "proxy", "handler", "steps"} on stdin and prints one JSON result per step. Steps:
#   {"seed": {"account", "region", "amis": [{"name", "tags"}]}}  registers tagged AMIs; result: their ids
#   {"mark": {"account", "region", "event"}}                       runs index.handler as the factory account's function,
#                                                                  EC2 and STS through the proxy; result: ok, error, log
#   {"state": {"accounts", "regions"}}                             every owned AMI's tags, by account and region
import contextlib, io, json, os, sys
import boto3

request = json.load(sys.stdin)
sys.path.insert(0, request["handler"])
credentials = {}


def assumed(account):
    if account not in credentials:
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=request["moto"], aws_access_key_id="seed", aws_secret_access_key="seed")
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seed")["Credentials"]
        credentials[account] = {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]}
    return credentials[account]


def ec2(account, region):
    return boto3.client("ec2", region_name=region, endpoint_url=request["moto"], **assumed(account))


def seed(step):
    client = ec2(step["account"], step["region"])
    ids = []
    for ami in step["amis"]:
        image = client.register_image(Name=ami["name"], RootDeviceName="/dev/xvda", Architecture="x86_64")["ImageId"]
        client.create_tags(Resources=[image], Tags=[{"Key": k, "Value": v} for k, v in ami["tags"].items()])
        ids.append(image)
    return ids


class Context:
    def __init__(self, account, region):
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{account}:function:golden-retention-marker"


def mark(step):
    own = assumed(step["account"])
    os.environ.update({
        "AWS_ACCESS_KEY_ID": own["aws_access_key_id"], "AWS_SECRET_ACCESS_KEY": own["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": own["aws_session_token"], "AWS_REGION": step["region"],
        "AWS_ENDPOINT_URL_EC2": request["proxy"], "AWS_ENDPOINT_URL_STS": request["proxy"],
    })
    os.environ.pop("AWS_PROFILE", None)
    import index
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out):
        try:
            index.handler(step["event"], Context(step["account"], step["region"]))
        except Exception as e:  # noqa: BLE001 - the test reads it
            error = f"{type(e).__name__}: {e}"
    return {"ok": error is None, "error": error, "log": [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]}


def state(step):
    result = {}
    for account in step["accounts"]:
        for region in step["regions"]:
            images = ec2(account, region).describe_images(Owners=["self"])["Images"]
            result.setdefault(account, {})[region] = {i["ImageId"]: {t["Key"]: t["Value"] for t in i.get("Tags", [])} for i in images}
    return result


results = []
for step in request["steps"]:
    (kind, body), = step.items()
    results.append({"seed": seed, "mark": mark, "state": state}[kind](body))
print(json.dumps(results))
