#!/usr/bin/env node
// cdk-nag's AwsSolutions pack over synthesized templates: every *.template.json under the cloud assemblies named on
// the command line (nested assemblies of pipeline stages included) is read back with cloudformation-include, and
// each finding that no `cdk_nag.rules_to_suppress` metadata of its resource acknowledges is printed. The templates
// that StackSets deploy (a string TemplateBody) are checked too. Exit code 1 on any unacknowledged finding or rule
// error; the last line is "cdk-nag: N templates, M unacknowledged, K acknowledged".
//
// Usage: node .ci/cdk-nag.js cdk.out [more cloud assemblies...]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const cdk = require('aws-cdk-lib');
const include = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks } = require('cdk-nag');
const { stackSetTemplates, templatesUnder } = require('./stackset-templates');

class Collector {
  constructor(shown) {
    this.shown = shown;
    this.unacknowledged = [];
    this.acknowledged = 0;
  }
  where(data) {
    return `${this.shown}: ${cdk.Stack.of(data.resource).resolve(data.resource.logicalId)}: ${data.ruleId}${data.findingId ? `[${data.findingId}]` : ''}`;
  }
  onCompliance() {}
  onNotApplicable() {}
  onNonCompliance(data) { this.unacknowledged.push(`${this.where(data)}: ${data.ruleInfo}`); }
  onSuppressed() { this.acknowledged++; }
  onError(data) { this.unacknowledged.push(`${this.where(data)}: the rule failed: ${data.errorMessage}`); }
  onSuppressedError() { this.acknowledged++; }
}

function check(file, shown) {
  const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'amiinfra-nag-')), analyticsReporting: false });
  // The legacy synthesizer adds no bootstrap parameter or rule of its own next to the template's.
  const stack = new cdk.Stack(app, 'Checked', { synthesizer: new cdk.LegacyStackSynthesizer() });
  new include.CfnInclude(stack, 'Template', { templateFile: file });
  const collector = new Collector(shown);
  cdk.Aspects.of(app).add(new AwsSolutionsChecks({ reports: false, additionalLoggers: [collector] }));
  try {
    app.synth();
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
  return collector;
}

const assemblies = process.argv.slice(2);
if (assemblies.length === 0) {
  console.error('usage: node .ci/cdk-nag.js <cloud assembly folder>...');
  process.exit(2);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'amiinfra-nag-stacksets-'));
let templates = 0;
let unacknowledged = 0;
let acknowledged = 0;
try {
  for (const assembly of assemblies) {
    for (const file of templatesUnder(assembly)) {
      const shown = path.relative(process.cwd(), file);
      for (const target of [{ file, shown }, ...stackSetTemplates(file, scratch, '.template.json')]) {
        const result = check(target.file, target.shown);
        templates++;
        acknowledged += result.acknowledged;
        unacknowledged += result.unacknowledged.length;
        result.unacknowledged.forEach(line => console.log(line));
      }
    }
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

console.log(`cdk-nag: ${templates} templates, ${unacknowledged} unacknowledged, ${acknowledged} acknowledged`);
process.exit(unacknowledged === 0 ? 0 : 1);
