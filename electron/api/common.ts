// Small schemas every area of the contract uses.
import { z } from 'zod';
import { HostId } from './hosts';

export const None = z.object({}).strict();
export const ForHost = z.object({ hostId: HostId }).strict();
