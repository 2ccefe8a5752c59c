import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openHub } from '../../hub.js';
import { stringifyModel } from '../../matching/index.js';
import { trainMasterModel } from '../../pipeline/train-master-model.js';
import { action } from '../output.js';

/** `crosswalk train hcp|hco`: the trained model is the same YAML document as the model file, to read, compare and install by hand. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train <entity>')
    .description('Re-train the matching model of hcp or hco on the master records and the stewards\' decisions; writes the trained model as YAML.')
    .option('--out <file>', 'where to write the trained model (default: print it)')
    .action(
      action(async (entity: string, options: { out?: string }) => {
        if (entity !== 'hcp' && entity !== 'hco') throw new ConfigError('train.entity', `Entity must be hcp or hco, not ${entity}.`);
        const hub = await openHub(loadSettings());
        try {
          const result = await trainMasterModel(hub.db, hub.masterRules[entity].model, entity);
          const yaml = stringifyModel(result.model);
          const summary = `trained on ${result.records} records, ${result.candidatePairs} candidate pairs and ${result.labels} steward decisions (prior ${result.model.prior.toExponential(2)})`;
          if (options.out) {
            writeFileSync(options.out, yaml);
            console.log(`${summary}; written to ${path.resolve(options.out)}. Review it, then replace ${path.join(hub.workspace.matchingDir, entity === 'hcp' ? 'physician.yaml' : 'organization.yaml')} to use it.`);
          } else {
            console.log(yaml);
            console.error(summary);
          }
        } finally {
          await hub.close();
        }
      }),
    );
}
