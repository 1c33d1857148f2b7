import { conventionScenario, type Scenario } from './scenario.js';

/** The accounts the README demo and `npm run emulator` set up. */
export const DEMO_ACCOUNTS = { corp: '111111111111', dev: '222222222222', pro: '333333333333' } as const;

/** A corp user, luis.gonzalez, in groups for project datalab (dev and pro) and web (dev). */
export function demoScenario(): Scenario {
  return conventionScenario({
    corpAccountId: DEMO_ACCOUNTS.corp,
    users: ['luis.gonzalez'],
    projects: {
      datalab: { envs: { dev: DEMO_ACCOUNTS.dev, pro: DEMO_ACCOUNTS.pro }, roles: ['admin', 'developer'] },
      web: { envs: { dev: DEMO_ACCOUNTS.dev }, roles: ['devops'] },
    },
    contractors: [{ project: 'datalab', env: 'dev', name: 'acme', externalId: 'acme-7f3a' }],
  });
}
