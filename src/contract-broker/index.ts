/**
 * herald/broker: the Herald Broker, a contract broker that speaks the Pact Broker API subset the
 * Pact CLI, pact-js and Herald's CLI use, on embedded PGlite or PostgreSQL. See docs/broker.md.
 */
export { startContractBroker, type ContractBrokerOptions, type StartedContractBroker } from './service';
