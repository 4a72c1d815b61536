import { junitReporter } from '../../lib/report/junit.js';
import * as f from './fixtures.js';
const r = junitReporter();
[...f.inFile(f.passingSuite(), 'p.yaml', 'Passing'), ...f.failingSuite(), ...f.inFile(f.concurrentSuite(), 'c.yaml', 'Concurrent'), ...f.inFile(f.interruptedSuite(), 'i.yaml', 'Interrupted'), ...f.inFile(f.initFailedSuite(), 'init.yaml', 'Init')].forEach(r.next);
console.log(r.render());
