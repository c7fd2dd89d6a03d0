/**
 * Deliberately broken variants of core components and the same stress tests run against them:
 * they must FAIL, which shows the tests can. Never run as part of the real suite.
 */
package dev.latchkey.jcstress.broken;
