import { VERSION } from '@anwbis/core';
export const daemon = VERSION;
