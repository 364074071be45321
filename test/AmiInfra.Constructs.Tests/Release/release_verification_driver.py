# Runs the release verification's state machine, exactly as ReleaseDefinition renders it, on moto's Step Functions
# interpreter (moto.stepfunctions.parser, switched on with the config {"stepfunctions": {"execute_state_machine": true}},
# the same switch as POST /moto-api/config) with its aws-sdk integrations calling moto's own EC2, SSM, IAM and SNS, in
# process. Reads {"definition", "account", "region", "factory", "scenarios": [...], "maxPolls"} on stdin and prints one
# JSON document: per scenario, the execution's status, error and the AMI's tags, every instance launched and its state,
# the parameters, the failure events put on the default bus (caught by a rule of "failurePattern" into an SQS queue),
# the emulated calls.
#
# What moto 5.2.1 lacks, and is emulated here (minimally, in moto's own response classes):
#   ssm:DescribeInstanceInformation  answers Online for a running instance unless its image is in "agentNeverOnline"
#   ec2:EnableImageDeprecation       records the AMI and time (and checks the time is an ISO-8601 UTC minute)
#   ec2:DisableImage                 records the AMI
#   ssm:GetCommandInvocation         answers Failed (exit code 3) for an instance whose image is in "commandFails"
# The definition's waits are shrunk: every Wait state waits 0 seconds and each image's maxPolls is "maxPolls" (the
# definition's parameters of the timeout), so a timeout is reached in a few polls instead of minutes.
import copy, json, sys, time
from datetime import datetime

import boto3
from moto import mock_aws
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.responses import EC2Response
from moto.ssm.responses import SimpleSystemManagerResponse
import moto.stepfunctions.parser.models as parser_models

request = json.load(sys.stdin)
ACCOUNT, REGION = request["account"], request["region"]
emulated = {"deprecated": {}, "disabled": [], "describeInstanceInformation": 0, "failedInvocations": 0}


def instance(instance_id):
    for reservation in ec2_backends[ACCOUNT][REGION].reservations.values():
        for i in reservation.instances:
            if i.id == instance_id:
                return i
    return None


def image_of(i):
    return {t["key"]: t["value"] for t in ec2_backends[ACCOUNT][REGION].describe_tags(filters={"resource-id": [i.id]})}.get("amiinfra:image")


def describe_instance_information(self):
    emulated["describeInstanceInformation"] += 1
    body = json.loads(self.body or "{}")
    # moto's interpreter hands this list over nested ([["i-..."]]): both shapes are read.
    ids = [v for f in body.get("Filters", []) if f["Key"] == "InstanceIds" for item in f["Values"] for v in (item if isinstance(item, list) else [item])]
    found = []
    for instance_id in ids:
        i = instance(instance_id)
        if i is not None and i.state == "running" and image_of(i) not in request.get("agentNeverOnline", []):
            found.append({"InstanceId": instance_id, "PingStatus": "Online", "PlatformType": "Linux"})
    return ActionResult({"InstanceInformationList": found})


def enable_image_deprecation(self):
    at = self._get_param("DeprecateAt")
    if not isinstance(at, datetime) or (at.minute, at.second) != (59, 0):
        raise ValueError(f"DeprecateAt {at!r} is not the end of an hour")
    emulated["deprecated"][self._get_param("ImageId")] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ActionResult({"Return": True})


def disable_image(self):
    emulated["disabled"].append(self._get_param("ImageId"))
    return ActionResult({"Return": True})


original_invocation = SimpleSystemManagerResponse.get_command_invocation


def get_command_invocation(self):
    body = json.loads(self.body or "{}")
    i = instance(body.get("InstanceId"))
    if i is not None and image_of(i) in request.get("commandFails", []):
        emulated["failedInvocations"] += 1
        return ActionResult({"CommandId": body["CommandId"], "InstanceId": i.id, "Status": "Failed", "ResponseCode": 3, "StatusDetails": "Failed"})
    return original_invocation(self)


class _Copy:
    @staticmethod
    def deepcopy(value, memo=None):
        try:
            return copy.deepcopy(value, memo)
        except TypeError:
            return copy.copy(value)


parser_models.copy = _Copy
SimpleSystemManagerResponse.describe_instance_information = describe_instance_information
SimpleSystemManagerResponse.get_command_invocation = get_command_invocation
EC2Response.enable_image_deprecation = enable_image_deprecation
EC2Response.disable_image = disable_image


def shrink(definition):
    d = json.loads(definition)
    for name, state in d["States"].items():
        if state["Type"] == "Wait":
            state["Seconds"] = 0
        if name.startswith("Configure "):
            state["Result"]["maxPolls"] = request["maxPolls"]
    return json.dumps(d)


with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
    kw = {"region_name": REGION}
    ec2, ssm, sfn, iam = (boto3.client(s, **kw) for s in ("ec2", "ssm", "stepfunctions", "iam"))
    # The failure events the definition puts on the default bus, caught by a rule of the same pattern as the factory's.
    events, sqs = boto3.client("events", **kw), boto3.client("sqs", **kw)
    queue = sqs.create_queue(QueueName="release-failures")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="release-failures", EventPattern=json.dumps(request["failurePattern"]))
    events.put_targets(Rule="release-failures", Targets=[{"Id": "queue", "Arn": queue_arn}])
    iam.create_role(RoleName=request["factory"] + "-release-instance", AssumeRolePolicyDocument="{}")
    iam.create_instance_profile(InstanceProfileName=request["factory"] + "-release-instance")
    iam.add_role_to_instance_profile(InstanceProfileName=request["factory"] + "-release-instance", RoleName=request["factory"] + "-release-instance")
    # The declared launch templates' ids are placeholders in the definition: each is created here and its id put in their place.
    definition = request["definition"]
    for placeholder in request.get("launchTemplates", []):
        created = ec2.create_launch_template(LaunchTemplateName=placeholder, LaunchTemplateData={"ImageId": "ami-00000000000000000", "InstanceType": "t3.micro"})
        request.setdefault("templateIds", []).append(created["LaunchTemplate"]["LaunchTemplateId"])
        definition = definition.replace(placeholder, created["LaunchTemplate"]["LaunchTemplateId"])
    machine = sfn.create_state_machine(name=request["factory"] + "-release-verify", definition=shrink(definition), roleArn=f"arn:aws:iam::{ACCOUNT}:role/x")["stateMachineArn"]

    results = []
    for scenario in request["scenarios"]:
        image = ec2.register_image(Name=scenario["name"], RootDeviceName="/dev/xvda", Architecture="x86_64")["ImageId"]
        ec2.create_tags(Resources=[image], Tags=[{"Key": k, "Value": v} for k, v in scenario["tags"].items()])
        before = {i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]}
        execution = sfn.start_execution(stateMachineArn=machine, name=scenario["name"], input=json.dumps({"amiId": image, "account": ACCOUNT}))["executionArn"]
        deadline = time.time() + 60
        while True:
            described = sfn.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING" or time.time() > deadline:
                break
            time.sleep(0.05)
        failures = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for m in messages:
                event = json.loads(m["Body"])
                failures.append({"source": event.get("source"), "detailType": event.get("detail-type"), "detail": event.get("detail")})
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
        launched = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["InstanceId"] not in before]
        history = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        parameter = None
        try:
            parameter = ssm.get_parameter(Name=request["parameter"])["Parameter"]
        except ssm.exceptions.ParameterNotFound:
            pass
        results.append({
            "name": scenario["name"],
            "amiId": image,
            "execution": execution,
            "status": described["status"],
            "error": described.get("error"),
            "cause": described.get("cause"),
            "tags": {t["Key"]: t["Value"] for t in ec2.describe_images(ImageIds=[image])["Images"][0].get("Tags", [])},
            "instances": [{"id": i["InstanceId"], "state": i["State"]["Name"], "type": i["InstanceType"], "httpTokens": i.get("MetadataOptions", {}).get("HttpTokens"), "profile": i.get("IamInstanceProfile", {}).get("Arn"), "tags": {t["Key"]: t["Value"] for t in i.get("Tags", [])}} for i in launched],
            "states": [e.get("stateEnteredEventDetails", {}).get("name") for e in history if e["type"].endswith("StateEntered")],
            "parameter": parameter and {"value": parameter["Value"], "dataType": parameter.get("DataType")},
            "templates": [ec2.describe_launch_template_versions(LaunchTemplateId=t, Versions=["$Default"])["LaunchTemplateVersions"][0]["LaunchTemplateData"].get("ImageId") for t in request.get("templateIds", [])],
            "commands": [{"document": c["DocumentName"], "parameters": c.get("Parameters")} for c in ssm.list_commands()["Commands"]],
            "failureEvents": failures,
            "launchPermissions": ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission").get("LaunchPermissions", []),
        })
    print(json.dumps({"results": results, "emulated": emulated}, default=str))
