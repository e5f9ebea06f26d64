#!/usr/bin/env node
// Publishes the packages whose versions changed (changesets). Never from CI.
import { execSync } from 'node:child_process';

if (process.env.CI && process.env.CI !== 'false') {
  console.error('release: refusing to publish from CI (CI is set). Run it locally as a maintainer.');
  process.exit(1);
}
const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
run('npm run build');
run('npm test');
run('npx changeset publish');
