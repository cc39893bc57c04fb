package dev.gobstopper.tasks.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * A small pool of open connections, as an application would put in front of an embedded
 * database: a connection closed by its user goes back to the pool, so each call does not
 * pay for opening one.
 */
final class ConnectionPool extends AbstractDataSource implements AutoCloseable {

	private final Opener opener;

	private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

	private final List<Connection> opened = new ArrayList<>();

	private volatile boolean closed;

	ConnectionPool(Opener opener) {
		this.opener = opener;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.closed) {
			throw new SQLException("The connection pool is closed");
		}
		Connection connection = this.idle.pollFirst();
		if (connection == null) {
			connection = this.opener.open();
			synchronized (this.opened) {
				this.opened.add(connection);
			}
		}
		Connection target = connection;
		return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Lease(target));
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getConnection();
	}

	@Override
	public void close() {
		this.closed = true;
		this.idle.clear();
		synchronized (this.opened) {
			for (Connection connection : this.opened) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// Closing the database anyway
				}
			}
			this.opened.clear();
		}
	}

	/**
	 * Opens a new connection to the database.
	 */
	@FunctionalInterface
	interface Opener {

		Connection open() throws SQLException;

	}

	/**
	 * One borrowing of a pooled connection; closing it returns the connection.
	 */
	private final class Lease implements InvocationHandler {

		private @Nullable Connection target;

		Lease(Connection target) {
			this.target = target;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			switch (method.getName()) {
				case "close" -> {
					release();
					return null;
				}
				case "isClosed" -> {
					return this.target == null;
				}
				case "equals" -> {
					return proxy == args[0];
				}
				case "hashCode" -> {
					return System.identityHashCode(proxy);
				}
				case "toString" -> {
					return "Pooled " + this.target;
				}
				default -> {
					if (this.target == null) {
						throw new SQLException("The connection was returned to the pool");
					}
					try {
						return method.invoke(this.target, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				}
			}
		}

		private void release() throws SQLException {
			Connection connection = this.target;
			if (connection == null) {
				return;
			}
			this.target = null;
			if (!connection.getAutoCommit()) {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			if (ConnectionPool.this.closed) {
				connection.close();
			}
			else {
				ConnectionPool.this.idle.offerFirst(connection);
			}
		}

	}

}
