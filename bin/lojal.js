#!/usr/bin/env node
// The `lojal` operator command; the TypeScript sources run through tsx, as in every other process.
import { register } from 'tsx/esm/api';

register();
await import('../services/cli/lojal.ts');
