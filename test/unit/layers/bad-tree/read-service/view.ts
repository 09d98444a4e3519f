import { step } from '../activities/step';
export const crossed = step;
