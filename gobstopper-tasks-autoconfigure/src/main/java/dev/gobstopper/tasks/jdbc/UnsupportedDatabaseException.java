package dev.gobstopper.tasks.jdbc;

import java.util.List;

import dev.gobstopper.tasks.TaskStorageException;

/**
 * The data source of the shared task storage connects to a database it does not support.
 */
public class UnsupportedDatabaseException extends TaskStorageException {

	private final String productName;

	private final String productVersion;

	private final List<String> supportedProducts;

	public UnsupportedDatabaseException(String productName, String productVersion, List<String> supportedProducts) {
		super("The task storage does not support " + productName + " " + productVersion + "; supported: "
				+ String.join(", ", supportedProducts));
		this.productName = productName;
		this.productVersion = productVersion;
		this.supportedProducts = List.copyOf(supportedProducts);
	}

	/**
	 * Return the name of the database found, as its JDBC driver reports it.
	 * @return the product name, such as {@code H2}
	 */
	public String getProductName() {
		return this.productName;
	}

	/**
	 * Return the version of the database found, as its JDBC driver reports it.
	 * @return the product version
	 */
	public String getProductVersion() {
		return this.productVersion;
	}

	/**
	 * Return the databases the storage supports, each with its oldest supported version.
	 * @return descriptions such as {@code PostgreSQL 13 or later}
	 */
	public List<String> getSupportedProducts() {
		return this.supportedProducts;
	}

}
