/**
 * The contention lab: a flash sale run once per concurrency strategy, with the damage each
 * one does (or does not do) counted in the database. Main class
 * {@link dev.latchkey.bench.lab.ContentionLab}.
 */
package dev.latchkey.bench.lab;
