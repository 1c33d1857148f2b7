import { VERSION } from '@anwbis/core';
export const tui = VERSION;
