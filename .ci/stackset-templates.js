#!/usr/bin/env node
// The templates that StackSets deploy into target accounts are held only as strings inside a cloud assembly's
// templates (AWS::CloudFormation::StackSet TemplateBody). This writes them out as files, so that cfn-lint and
// cdk-nag read them as they read the others.
//
// Usage: node .ci/stackset-templates.js <cloud assembly>
//   writes <cloud assembly>/stacksets/<stack>-<logical id>.json and prints how many it wrote.
//   Used by .ci/run and the delivery pipeline's Synth step; .ci/cdk-nag.js requires it.
'use strict';

const fs = require('fs');
const path = require('path');

/** Writes the StackSet templates of the template `file` into `dir`; returns each as { file, shown }. */
function stackSetTemplates(file, dir, suffix = '.json') {
  const written = [];
  const resources = JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const body = resource.Type === 'AWS::CloudFormation::StackSet' ? resource.Properties?.TemplateBody : undefined;
    if (typeof body === 'string') {
      const target = path.join(dir, `${path.basename(file, '.template.json')}-${logicalId}${suffix}`);
      fs.writeFileSync(target, body);
      written.push({ file: target, shown: `${path.relative(process.cwd(), file)} (StackSet ${logicalId})` });
    }
  }
  return written;
}

/** Every *.template.json under `dir` (nested assemblies of pipeline stages included), sorted. */
function templatesUnder(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...templatesUnder(full));
    } else if (entry.name.endsWith('.template.json')) {
      found.push(full);
    }
  }
  return found.sort();
}

module.exports = { stackSetTemplates, templatesUnder };

if (require.main === module) {
  const assembly = process.argv[2];
  if (!assembly) {
    console.error('usage: node .ci/stackset-templates.js <cloud assembly folder>');
    process.exit(2);
  }
  const dir = path.join(assembly, 'stacksets');
  fs.mkdirSync(dir, { recursive: true });
  console.log(templatesUnder(assembly).reduce((count, file) => count + stackSetTemplates(file, dir).length, 0));
}
