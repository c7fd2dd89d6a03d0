/**
 * Internal: how latchkey-redis runs its Lua scripts on one Lettuce connection and translates
 * the client's failures. Not an API; may change in any release.
 */
package dev.latchkey.redis.internal;
