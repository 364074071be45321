#!/usr/bin/env python3
"""Writes the templates that StackSets deploy into target accounts, which a cloud assembly holds only as strings
inside its templates (AWS::CloudFormation::StackSet TemplateBody), to <assembly>/stacksets/, one file each, so that
cfn-lint can read them. Prints how many it wrote. Used by .ci/run and by the delivery pipeline's Synth step."""
import glob
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "cdk.out"
target = os.path.join(out, "stacksets")
os.makedirs(target, exist_ok=True)
written = 0
for path in sorted(glob.glob(os.path.join(out, "**", "*.template.json"), recursive=True)):
    for logical_id, resource in json.load(open(path, encoding="utf-8")).get("Resources", {}).items():
        if resource.get("Type") != "AWS::CloudFormation::StackSet":
            continue
        body = resource.get("Properties", {}).get("TemplateBody")
        if isinstance(body, str):
            name = os.path.basename(path)[: -len(".template.json")]
            with open(os.path.join(target, f"{name}.{logical_id}.json"), "w", encoding="utf-8") as f:
                f.write(body)
            written += 1
print(written)
