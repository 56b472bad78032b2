// jest 29's node environment gives tests a fresh realm whose Symbol lacks Node 20's
// Symbol.dispose / Symbol.asyncDispose, so `await using` (and Herald's AsyncDisposable brokers,
// transports and captures) fail there. This environment shares Node's symbols with the test realm,
// as jest 30 does. Use it with `testEnvironment: 'herald/jest/environment'`.
'use strict';
const { TestEnvironment } = require('jest-environment-node');

class HeraldNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['dispose', 'asyncDispose']) {
      if (Symbol[name] !== undefined && this.global.Symbol[name] === undefined) {
        Object.defineProperty(this.global.Symbol, name, { value: Symbol[name], writable: false, enumerable: false, configurable: false });
      }
    }
  }
}

module.exports = HeraldNodeEnvironment;
