/**
 * What gcc's driver would run: its {@code -###} listing read back ({@link DriverListing}), and a
 * preprocessor plan ({@link PreprocessorPlan}) that turns the listing of one job into the
 * {@code cc1 -E} command of another job of the same shape, so a resident client can run the
 * preprocessor proper without starting the driver first. Pure: strings in, values out.
 */
package org.jdistcc.compiler.driver;
