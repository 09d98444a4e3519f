import { live } from '../health/live';
import { crossed } from '../read-service/view';
export const probe = live && crossed;
