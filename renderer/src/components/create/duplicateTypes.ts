// Types of the duplicate dialog, from the contract.
import type { MethodOutput } from '../../api/client';
export type { ImageFormat } from '../../../../electron/api/create';
export type MethodOutputDuplicatePlan = MethodOutput<'create.duplicatePlan'>;
