/**
 * The orders provider verified with Herald's jest API: one jest test per interaction of every
 * contract in contracts/ that names orders, grouped by consumer.
 */
import { verifyProviderInJest } from 'herald/jest';
import factories from './factories';

verifyProviderInJest(factories, { contracts: ['contracts/'] });
