/** Consumer groups' committed offsets: {@code /v1/groups/{group}/offsets}. */
package io.minimq.broker.group;
